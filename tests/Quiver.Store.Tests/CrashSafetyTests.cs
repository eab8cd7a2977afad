using System.Diagnostics;
using Quiver.Store.Collections;

namespace Quiver.Store.Tests;

/// <summary>
/// Kills a writing process with SIGKILL at random moments and checks that every acknowledged point survives and is
/// found by search (dense and keyword) after reopening, with the keyword index in step with the points.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    internal static string WriterPath()
    {
        // tests/Quiver.Store.Tests/bin/<Configuration>/net10.0 → tests/Quiver.Store.CrashWriter/bin/<Configuration>/net10.0
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(here);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var tests = Path.GetFullPath(Path.Combine(here, "..", "..", "..", ".."));
        return Path.Combine(tests, "Quiver.Store.CrashWriter", "bin", configuration, framework, "Quiver.Store.CrashWriter.dll");
    }

    [Fact]
    public void Every_acknowledged_batch_survives_a_kill()
    {
        var writer = WriterPath();
        Assert.True(File.Exists(writer), $"the crash writer was not built at {writer}");
        var random = new Random(2024);
        var acknowledged = new List<int>();
        var nextBatch = 0;
        // bench/crash.sh runs 20 rounds; the test suite a few.
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("QUIVER_CRASH_ROUNDS"), out var r) ? r : 3;
        for (var round = 0; round < rounds; round++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { writer, _folder.Path, "crash", nextBatch.ToString(), "1000", "40" })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var killAfter = random.Next(3, 25);
            var seen = 0;
            while (process.StandardOutput.ReadLine() is { } line)
            {
                Assert.StartsWith("ack ", line);
                acknowledged.Add(int.Parse(line[4..]));
                if (++seen == killAfter)
                {
                    // Let the next batch get under way, then kill without warning (SIGKILL on Linux).
                    Thread.Sleep(random.Next(0, 30));
                    process.Kill();
                    break;
                }
            }

            process.WaitForExit();
            nextBatch = acknowledged.Max() + 2;
        }

        using var collection = new CollectionStore(_folder.Path).Open("crash");
        foreach (var batch in acknowledged)
        {
            for (var i = 0; i < 40; i += 7)
            {
                var id = $"b{batch}-{i}";
                Assert.NotNull(collection.Get(id));
                var hit = collection.Search(CrashWriterVectors.For(batch, i), 1)[0];
                Assert.Equal(id, hit.Id);
                Assert.Equal(1f, hit.Score, 4);
                Assert.Equal(id, Assert.Single(collection.SearchKeyword($"batch{batch} point{i}", 1)).Id);
            }
        }

        // The keyword index (written by triggers in the same transactions) holds exactly one row per point.
        var (keywordRows, pointsWithText, orphans) = collection.KeywordCensus();
        Assert.Equal(collection.Count(), pointsWithText);
        Assert.Equal(pointsWithText, keywordRows);
        Assert.Equal(0, orphans);
        collection.CheckKeywordIntegrity();

        Assert.True(collection.Count() >= acknowledged.Count * 40);
    }
}

/// <summary>The crash writer's vectors (same formula as its Program.cs).</summary>
internal static class CrashWriterVectors
{
    public static float[] For(int batch, int i)
    {
        var random = new Random((batch * 100_003) + i);
        return Enumerable.Range(0, 8).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
