using System.Diagnostics;
using Quiver.Core;
using Quiver.Store.Collections;
using Quiver.Store.Index;
using Quiver.Store.Reembedding;

namespace Quiver.Store.Tests;

/// <summary>
/// Re-embedding a collection with another model: searches answer throughout from one space at a time, writes made
/// meanwhile reach the new version, a killed run resumes from its checkpoint, and points without text are never
/// dropped silently.
/// </summary>
public sealed class ReembedTests : IDisposable
{
    private const int Points = 300;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string TextOf(int i) => $"point {i} speaks of whale{i % 13} and harbour{i % 7} number{i}";

    private CollectionStore Store() => new(_folder.Path) { RetiredVersionGrace = TimeSpan.FromMilliseconds(200) };

    private static CollectionOptions BagOptions() =>
        new(BagOfWordsGenerator.Space, new IndexOptions { ExactThreshold = 100_000 });

    // Stored cosine vectors are normalised again, which may move the last bit.
    private static void AssertSameVector(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var d = 0; d < expected.Length; d++)
        {
            Assert.Equal(expected[d], actual[d], 1e-6f);
        }
    }

    private Collection Seed(CollectionStore store, string name, int count = Points)
    {
        var collection = store.Create(name, BagOptions());
        collection.Upsert([.. Enumerable.Range(0, count).Select(i => new Point($"p{i}", BagOfWordsGenerator.Embed(TextOf(i)), new() { ["i"] = i }, TextOf(i)))]);
        return collection;
    }

    [Fact]
    public async Task A_collection_answers_from_one_space_throughout_and_ends_with_every_point_and_write_in_the_new_one()
    {
        var store = Store();
        Seed(store, "docs").Dispose();
        using var open = new OpenCollections(store);
        var model = new TrigramGenerator(delay: TimeSpan.FromMilliseconds(10));
        using var stop = new CancellationTokenSource();

        // The reader: every query is embedded by the model of the version it gets, and must find its own point with a
        // score of 1, which a query in one space against vectors of the other would not.
        int oldReads = 0, newReads = 0;
        var failures = new List<string>();
        var reader = Task.Run(() =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var i = random.Next(Points);
                try
                {
                    var collection = open.Find("docs")!;
                    var isNew = collection.Space == model.Space;
                    var query = isNew ? TrigramGenerator.Embed(TextOf(i)) : BagOfWordsGenerator.Embed(TextOf(i));
                    var hit = collection.Search(query, 1)[0];
                    if (hit.Id != $"p{i}" || Math.Abs(hit.Score - 1f) > 1e-4)
                    {
                        failures.Add($"query {i} in {collection.Space}: got {hit.Id} at {hit.Score}");
                    }

                    if (isNew)
                    {
                        newReads++;
                    }
                    else
                    {
                        oldReads++;
                    }
                }
                catch (Exception e)
                {
                    failures.Add(e.ToString());
                }
            }
        });

        // The writer: new points, a deletion and payload edits while the job runs, through the open collection
        // (with the space it holds when it writes).
        var written = new List<string>();
        var writer = Task.Run(async () =>
        {
            for (var j = 0; j < 40 && !stop.IsCancellationRequested; j++)
            {
                try
                {
                    var collection = open.Find("docs")!;
                    var text = $"written during the job {j} lighthouse{j}";
                    var vector = collection.Space == model.Space ? TrigramGenerator.Embed(text) : BagOfWordsGenerator.Embed(text);
                    collection.Upsert([new Point($"w{j}", vector, null, text)], collection.Space);
                    lock (written)
                    {
                        written.Add($"w{j}");
                    }
                }
                catch (QuiverException e) when (e.Message.Contains("was re-embedded while this handle was open", StringComparison.Ordinal))
                {
                    // Refused by the replaced version: the write is retried on the new one, as a server does.
                    j--;
                }

                await Task.Delay(15);
            }
        });

        var phases = new List<string>();
        var result = await new ReembedJob(store, "docs", model, new ReembedOptions { BatchSize = 16 })
            .RunAsync(new SynchronousProgress<ReembedProgress>(p => phases.Add(p.Phase)));
        await writer;
        await Task.Delay(100);
        await stop.CancelAsync();
        await reader;

        Assert.Empty(failures);
        Assert.True(oldReads > 0 && newReads > 0, $"the reader ran {oldReads} searches on the old version and {newReads} on the new one");
        // The bulk of the work runs without the write lock; writers wait only for the last part batch.
        Assert.True(phases.Count(p => p == "re-embedding") >= (Points / 16) - 1, string.Join(", ", phases));
        Assert.Equal("done", phases[^1]);

        var after = open.Find("docs")!;
        Assert.Equal(model.Space, after.Space);
        Assert.Equal(Points + written.Count, after.Count());
        foreach (var point in after.ReadAll())
        {
            AssertSameVector(TrigramGenerator.Embed(point.Text!), point.Vector);
        }

        Assert.All(written, id => Assert.NotNull(after.Get(id)));
        Assert.InRange(result.Points, Points, after.Count());
        Assert.Equal(0, result.TextlessDropped);

        // Searches after the switch use the new version's index (built before the switch).
        Assert.Equal("w3", after.Search(TrigramGenerator.Embed("written during the job 3 lighthouse3"), 1)[0].Id);
    }

    [Fact]
    public async Task The_replaced_version_refuses_writes_from_old_handles_and_is_removed_once_they_let_go()
    {
        var store = Store();
        using var old = Seed(store, "docs", 20);
        var oldPath = old.DatabasePath;

        // A reader with the old database open (a SQLite connection that has read from it) keeps it from removal.
        var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={oldPath};Pooling=False");
        holder.Open();
        using (var read = holder.CreateCommand())
        {
            read.CommandText = "SELECT COUNT(*) FROM points";
            Assert.Equal(20L, read.ExecuteScalar());
        }

        var result = await new ReembedJob(store, "docs", new TrigramGenerator()).RunAsync();
        Assert.Equal(1, result.RetiredKept);
        Assert.True(File.Exists(oldPath));
        Assert.Equal(BagOfWordsGenerator.Embed(TextOf(4)), old.Get("p4")!.Vector, new ToleranceComparer());

        var refused = Assert.Throws<QuiverException>(() => old.Upsert([new Point("late", BagOfWordsGenerator.Embed("late words"), null, "late words")]));
        Assert.Contains("was re-embedded while this handle was open", refused.Message);
        Assert.Contains("Open the collection again", refused.Message);

        // Once the reader lets go, the old database goes; the old handle is told to open the collection again.
        holder.Dispose();
        Assert.Equal(0, store.RemoveRetiredVersions("docs"));
        Assert.False(File.Exists(oldPath));
        var gone = Assert.Throws<QuiverException>(() => old.Count());
        Assert.Contains("Open the collection again", gone.Message);

        using var reopened = store.Open("docs");
        Assert.Equal(result.DatabasePath, reopened.DatabasePath);
        Assert.Equal(20, reopened.Count());
        Assert.Equal(["docs"], store.List());

        // A second re-embedding (back to the first model) replaces a version folder in turn.
        var back = await new ReembedJob(store, "docs", new BagOfWordsGenerator()).RunAsync();
        Assert.False(File.Exists(result.DatabasePath));
        using var again = store.Open("docs");
        Assert.Equal(BagOfWordsGenerator.Space, again.Space);
        Assert.Equal(back.DatabasePath, again.DatabasePath);
        Assert.Equal("p3", again.Search(BagOfWordsGenerator.Embed(TextOf(3)), 1)[0].Id);

        Assert.True(store.Delete("docs"));
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "docs")));
    }

    [Fact]
    public async Task Into_a_new_name_the_source_stays_as_it_was()
    {
        var store = Store();
        using var source = Seed(store, "docs", 30);
        source.CreatePayloadIndex("i", Filtering.PayloadIndexKind.Integer);
        var result = await new ReembedJob(store, "docs", new TrigramGenerator(), new ReembedOptions { Into = "docs-tri" }).RunAsync();

        Assert.Equal("docs-tri", result.Collection);
        Assert.Equal(["docs", "docs-tri"], store.List());
        using var copy = store.Open("docs-tri");
        Assert.Equal("trigram/mean", copy.Space.ModelId);
        Assert.Equal(30, copy.Count());
        Assert.True(copy.PayloadIndexes.ContainsKey("i"));
        Assert.Equal(BagOfWordsGenerator.Space, store.Open("docs").Space);
        source.Upsert([new Point("still-writable", BagOfWordsGenerator.Embed("still writable"), null, "still writable")]);

        var taken = await Assert.ThrowsAsync<QuiverException>(() => new ReembedJob(store, "docs", new TrigramGenerator(), new ReembedOptions { Into = "docs-tri" }).RunAsync());
        Assert.Contains("already exists", taken.Message);
    }

    [Fact]
    public async Task Points_without_text_are_refused_with_their_ids_or_left_out_when_asked()
    {
        var store = Store();
        using var source = Seed(store, "docs", 10);
        source.Upsert([new Point("bare-1", BagOfWordsGenerator.Embed("bare one"), null, null), new Point("bare-2", BagOfWordsGenerator.Embed("bare two"), null, "   ")]);

        var refused = await Assert.ThrowsAsync<QuiverException>(() => new ReembedJob(store, "docs", new TrigramGenerator()).RunAsync());
        Assert.Contains("2 point(s) without text", refused.Message);
        Assert.Contains("bare-1, bare-2", refused.Message);
        Assert.Contains("--drop-textless", refused.Message);
        Assert.Equal(BagOfWordsGenerator.Space, store.Open("docs").Space);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "docs", "reembedding")));

        var result = await new ReembedJob(store, "docs", new TrigramGenerator(), new ReembedOptions { DropTextless = true }).RunAsync();
        Assert.Equal(2, result.TextlessDropped);
        Assert.Equal(["bare-1", "bare-2"], result.TextlessIds);
        using var after = store.Open("docs");
        Assert.Equal(10, after.Count());
        Assert.Null(after.Get("bare-1"));
    }

    [Fact]
    public async Task The_same_model_is_refused_but_a_new_revision_of_it_is_re_embedded()
    {
        var store = Store();
        Seed(store, "docs", 12).Dispose();
        await new ReembedJob(store, "docs", new TrigramGenerator("t1")).RunAsync();

        var same = await Assert.ThrowsAsync<QuiverException>(() => new ReembedJob(store, "docs", new TrigramGenerator("t1")).RunAsync());
        Assert.Contains("already holds vectors from", same.Message);

        var revised = new TrigramGenerator("t2");
        var result = await new ReembedJob(store, "docs", revised).RunAsync();
        Assert.Equal("t1", result.From.Revision);
        Assert.Equal("t2", result.To.Revision);
        Assert.Equal(12, revised.Texts);
        Assert.Equal("t2", store.Open("docs").Space.Revision);
    }

    [Fact]
    public async Task A_killed_re_embedding_resumes_from_its_checkpoint()
    {
        var writer = CrashSafetyTests.WriterPath();
        Assert.True(File.Exists(writer), $"the crash writer was not built at {writer}");
        var store = Store();
        Seed(store, "docs").Dispose();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { writer, "reembed", _folder.Path, "docs", "8" })
        {
            start.ArgumentList.Add(a);
        }

        long lastCheckpoint = 0;
        using (var process = Process.Start(start)!)
        {
            var seen = 0;
            while (process.StandardOutput.ReadLine() is { } line)
            {
                Assert.StartsWith("checkpoint ", line);
                lastCheckpoint = long.Parse(line["checkpoint ".Length..]);
                if (++seen == 12)
                {
                    process.Kill();
                    break;
                }
            }

            process.WaitForExit();
        }

        Assert.True(lastCheckpoint > 0);
        Assert.True(File.Exists(Path.Combine(_folder.Path, "docs", "reembedding")), "the unfinished version is named in the collection's folder");
        using (var still = store.Open("docs"))
        {
            Assert.Equal(BagOfWordsGenerator.Space, still.Space);
        }

        // A write between the kill and the resume reaches the new version too.
        using (var source = store.Open("docs"))
        {
            source.Upsert([new Point("between", BagOfWordsGenerator.Embed("written between runs"), null, "written between runs")]);
        }

        var model = new TrigramGenerator();
        var result = await new ReembedJob(store, "docs", model, new ReembedOptions { BatchSize = 8 }).RunAsync();
        Assert.True(result.ResumedFrom >= lastCheckpoint, $"resumed from {result.ResumedFrom}, the child had reported {lastCheckpoint}");
        Assert.True(model.Texts < Points, $"the resumed run embedded {model.Texts} texts; {Points} would mean it started over");
        using var after = store.Open("docs");
        Assert.Equal(model.Space, after.Space);
        Assert.Equal(Points + 1, after.Count());
        foreach (var point in after.ReadAll())
        {
            AssertSameVector(TrigramGenerator.Embed(point.Text!), point.Vector);
        }

        Assert.False(File.Exists(Path.Combine(_folder.Path, "docs", "reembedding")));
    }

    [Fact]
    public async Task A_switch_left_half_done_is_finished_on_the_next_open()
    {
        var store = Store();
        Seed(store, "docs", 10).Dispose();
        var result = await new ReembedJob(store, "docs", new TrigramGenerator(), new ReembedOptions { Into = "probe" }).RunAsync();
        Assert.Equal(10, result.Points);

        // A stop between marking the old database replaced and renaming "current", replayed step by step: the
        // version is in place and named as pending, the source is marked, "current" was not renamed.
        var folder = Path.Combine(_folder.Path, "docs");
        var version = "v-" + Guid.NewGuid().ToString("N");
        Directory.Move(Path.Combine(_folder.Path, "probe"), Path.Combine(folder, version));
        File.WriteAllText(Path.Combine(folder, "reembedding"), version);
        using (var source = store.Open("docs"))
        {
            var writes = source.LockWrites();
            using var connection = writes.Connection!;
            using (writes)
            {
                Collection.Retire(writes, version);
            }
        }

        using var reopened = store.Open("docs");
        Assert.Equal("trigram/mean", reopened.Space.ModelId);
        Assert.Equal(Path.Combine(folder, version, "collection.db"), reopened.DatabasePath);
        Assert.False(File.Exists(Path.Combine(folder, "reembedding")));
    }


    private sealed class ToleranceComparer : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-6f;

        public int GetHashCode(float obj) => 0;
    }
}
