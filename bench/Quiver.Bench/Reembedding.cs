using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Store.Collections;
using Quiver.Store.Reembedding;

namespace Quiver.Bench;

/// <summary>
/// Re-embedding throughput against its peer, plain indexing, in the same run: the same texts, the same model, the same
/// batch size. Plain indexing embeds the texts and upserts them into a new collection, then builds its search index
/// (what <c>quiver index</c> does after chunking). Re-embedding starts from a collection holding the same texts with
/// other vectors and runs <see cref="ReembedJob"/> in place: reading the texts back, embedding, writing with a
/// checkpoint per batch, building the index, the switch and the removal of the old version. Rounds alternate the two,
/// so both see the same machine load; each prints points/s, and the medians' ratio ends the run.
/// Usage: Quiver.Bench reembed --texts ../shared/data/corpus/moby-dick.part00.txt [--model all-minilm-l6-v2] [--points 300] [--rounds 3] [--batch 64]
/// </summary>
internal static class Reembedding
{
    public static void Run(Args options)
    {
        var model = options.Get("model", "all-minilm-l6-v2");
        var points = int.Parse(options.Get("points", "300"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(options.Get("rounds", "3"), CultureInfo.InvariantCulture);
        var batch = int.Parse(options.Get("batch", "64"), CultureInfo.InvariantCulture);
        var texts = File.ReadLines(options.Get("texts", "../shared/data/corpus/moby-dick.part00.txt"))
            .Select(l => l.Trim()).Where(l => l.Length >= 20).Distinct(StringComparer.Ordinal).Take(points).ToList();
        if (texts.Count < points)
        {
            throw new InvalidOperationException($"only {texts.Count} distinct lines of 20 characters or more in the texts file; pass a larger file or fewer --points");
        }

        using var generator = InstalledModels.OpenTextGenerator(QuiverPaths.FromEnvironment(), model, role: TextRole.Document);
        var space = generator.GetService<EmbeddingSpace>()!;
        Console.WriteLine($"model {space}, {points} texts ({texts.Sum(t => t.Length) / (double)points:F0} characters on average), batch {batch}, {Environment.ProcessorCount} cores");

        // Warm the model (first-call costs belong to neither side).
        generator.GenerateAsync(texts.Take(batch)).GetAwaiter().GetResult();
        var plain = new List<double>();
        var reembed = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var root = Path.Combine(Path.GetTempPath(), "quiver-reembed-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                var store = new CollectionStore(root) { RetiredVersionGrace = TimeSpan.Zero };
                var first = round % 2 == 0;
                if (first)
                {
                    plain.Add(Plain(store, generator, space, texts, batch));
                }

                reembed.Add(Reembed(store, generator, texts, batch));
                if (!first)
                {
                    plain.Add(Plain(store, generator, space, texts, batch));
                }

                Console.WriteLine($"round {round + 1}: plain indexing {plain[^1]:F1} points/s, re-embedding {reembed[^1]:F1} points/s, ratio {reembed[^1] / plain[^1]:F3}");
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(root, recursive: true);
            }
        }

        var (p, r) = (Median(plain), Median(reembed));
        Console.WriteLine($"median: plain indexing {p:F1} points/s, re-embedding {r:F1} points/s, re-embedding/plain {r / p:F3}");
    }

    private static double Plain(CollectionStore store, IEmbeddingGenerator<string, Embedding<float>> generator, EmbeddingSpace space, List<string> texts, int batch)
    {
        var clock = Stopwatch.StartNew();
        using var collection = store.Create("plain", new CollectionOptions(space));
        for (var from = 0; from < texts.Count; from += batch)
        {
            var slice = texts.GetRange(from, Math.Min(batch, texts.Count - from));
            var vectors = generator.GenerateAsync(slice).GetAwaiter().GetResult();
            collection.Upsert([.. slice.Select((t, i) => new Point($"t{from + i}", vectors[i].Vector.ToArray(), null, t))], space);
        }

        collection.Flush();
        return texts.Count / clock.Elapsed.TotalSeconds;
    }

    // The source holds the same texts with 8-d random vectors (any other space would do; writing it is not timed).
    private static double Reembed(CollectionStore store, IEmbeddingGenerator<string, Embedding<float>> generator, List<string> texts, int batch)
    {
        var random = new Random(1);
        using (var source = store.Create("source", new CollectionOptions(EmbeddingSpace.Raw(8, DistanceMetric.Cosine))))
        {
            source.Upsert([.. texts.Select((t, i) => new Point($"t{i}", [.. Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() + 0.01f)], null, t))]);
        }

        var clock = Stopwatch.StartNew();
        var result = new ReembedJob(store, "source", generator, new ReembedOptions { BatchSize = batch }).RunAsync().GetAwaiter().GetResult();
        var seconds = clock.Elapsed.TotalSeconds;
        if (result.Points != texts.Count || result.Embedded != texts.Count)
        {
            throw new InvalidOperationException($"re-embedding wrote {result.Points} points and embedded {result.Embedded}, not {texts.Count}");
        }

        return texts.Count / seconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
