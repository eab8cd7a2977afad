using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Snapshots;

namespace Quiver.Store.Tests;

/// <summary>
/// Snapshots: one checksummed file, consistent while a writer upserts, restored to a collection that answers as the
/// source did; a damaged or truncated file is refused and the collection it would replace stays as it was.
/// </summary>
public sealed class SnapshotTests : IDisposable
{
    private const int Dimensions = 16;
    private static readonly EmbeddingSpace Space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Cosine);
    private static readonly IndexOptions Hnsw = new() { Kind = IndexKind.Hnsw, ExactThreshold = 50, Hnsw = new HnswParameters(M: 8, EfConstruction: 40, EfSearch: 40) };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CollectionStore Store() => new(Path.Combine(_folder.Path, "store"));

    private string File(string name) => Path.Combine(_folder.Path, name);

    private static List<Point> Points(int from, int count, int seed)
    {
        var random = new Random(seed + from);
        return [.. Enumerable.Range(from, count).Select(i => new Point(
            $"p{i:D6}",
            [.. Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))],
            new JsonObject { ["n"] = i, ["tag"] = $"t{i % 3}", ["nested"] = new JsonObject { ["x"] = new JsonArray(i, "y") } },
            $"text of point {i}"))];
    }

    private static float[][] Queries(int count) =>
        [.. Points(900_000, count, 99).Select(p => p.Vector)];

    private static List<string> Entries(string snapshot)
    {
        using var reader = new TarReader(System.IO.File.OpenRead(snapshot));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    private static List<(string, float, string?, string?)> Hits(IReadOnlyList<SearchHit> hits) =>
        [.. hits.Select(h => (h.Id, h.Score, h.Payload?.ToJsonString(), h.Text))];

    private static void AssertSamePoints(Collection expected, Collection actual, int? onlyBelow = null)
    {
        var want = expected.ReadAll().Where(p => onlyBelow is null || p.Payload!["n"]!.GetValue<int>() < onlyBelow).ToList();
        var got = actual.ReadAll().ToList();
        Assert.Equal(want.Count, got.Count);
        for (var i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i].Id, got[i].Id);
            Assert.Equal(want[i].Vector, got[i].Vector);
            Assert.Equal(want[i].Payload!.ToJsonString(), got[i].Payload!.ToJsonString());
            Assert.Equal(want[i].Text, got[i].Text);
        }
    }

    [Fact]
    public void A_restored_collection_answers_exactly_as_its_source()
    {
        using var source = Store().Create("docs", new CollectionOptions(Space, Hnsw));
        source.CreatePayloadIndex("tag", Filtering.PayloadIndexKind.Keyword);
        source.Upsert(Points(0, 600, 1));
        source.Delete(["p000003", "p000010"]);
        Assert.NotEmpty(source.Search(Queries(1)[0], 1));
        var written = source.WriteSnapshot(File("docs.snapshot"));
        Assert.Equal(598, written.Points);
        Assert.Equal(["collection.db", "index.qhns", "manifest.json"], Entries(written.Path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(written.Path))), written.Checksum);

        var restored = Store().Restore(written.Path, new RestoreOptions(Name: "copy"));
        Assert.Equal(new RestoredCollection("copy", 598, written.Sequence, Replaced: false, written.Size), restored);
        using var copy = Store().Open("copy");
        Assert.Equal(source.Count(), copy.Count());
        Assert.Equal(source.Space, copy.Space);
        Assert.Equal(source.PayloadIndexes, copy.PayloadIndexes);
        AssertSamePoints(source, copy);

        // The index came with the snapshot: the same graph answers the same, approximate searches included.
        Assert.Equal(598, copy.InspectIndex().LivePoints);
        var tag = Filtering.PayloadFilter.Equal("tag", JsonValue.Create("t1"));
        foreach (var query in Queries(20))
        {
            Assert.Equal(Hits(source.Search(query, 10)), Hits(copy.Search(query, 10)));
            Assert.Equal(Hits(source.Search(query, 10, tag)), Hits(copy.Search(query, 10, tag)));
            Assert.Equal(Hits(source.Search(query, 10, exact: true)), Hits(copy.Search(query, 10, exact: true)));
        }

        Assert.Equal(Hits(source.SearchKeyword("text point 42", 5)), Hits(copy.SearchKeyword("text point 42", 5)));
    }

    [Fact]
    public async Task A_snapshot_taken_while_a_writer_upserts_restores_a_whole_prefix_of_its_batches()
    {
        const int Batch = 25;
        using var source = Store().Create("live", new CollectionOptions(Space, Hnsw));
        source.Upsert(Points(0, 200, 2));
        using var stop = new CancellationTokenSource();
        var written = 200;
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested && written < 20_000)
            {
                source.Upsert(Points(written, Batch, 2));
                Interlocked.Add(ref written, Batch);
            }
        });

        SpinWait.SpinUntil(() => Volatile.Read(ref written) >= 600);
        var snapshot = source.WriteSnapshot(File("live.snapshot"));
        var after = Volatile.Read(ref written);
        SpinWait.SpinUntil(() => Volatile.Read(ref written) >= after + (4 * Batch) || writer.IsCompleted);
        stop.Cancel();
        await writer;

        var restored = Store().Restore(snapshot.Path, new RestoreOptions(Name: "restored"));
        using var copy = Store().Open("restored");
        var count = (int)copy.Count();
        Assert.Equal(snapshot.Points, count);
        Assert.Equal(restored.Points, count);
        Assert.True(count >= 600 && (count - 200) % Batch == 0, $"{count} points: not whole batches");
        Assert.True(count < source.Count(), "the writer went on after the snapshot, so the source has more");

        // Exactly the points p0 .. p(count-1), each as the source holds it; searches agree with the source's points of that prefix.
        AssertSamePoints(source, copy, onlyBelow: count);
        var prefix = source.ReadAll().Where(p => p.Payload!["n"]!.GetValue<int>() < count).ToList();
        foreach (var query in Queries(10))
        {
            var unit = query.ToArray();
            VectorMath.Normalize(unit);
            var expected = prefix.Select(p => (p.Id, Score: System.Numerics.Tensors.TensorPrimitives.Dot(unit, p.Vector))).OrderByDescending(h => h.Score).Take(10).ToList();
            var hits = copy.Search(query, 10, exact: true);
            Assert.Equal(expected.Select(h => h.Id), hits.Select(h => h.Id));
            Assert.All(expected.Zip(hits), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 5));
        }

        // The restored collection takes writes like any other.
        copy.Upsert(Points(50_000, 3, 5));
        Assert.Equal(count + 3, copy.Count());
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("garbage")]
    [InlineData("extra-entry")]
    public void A_damaged_snapshot_is_refused_and_the_collection_it_would_replace_is_untouched(string damage)
    {
        using (var source = Store().Create("docs", new CollectionOptions(Space, Hnsw)))
        {
            source.Upsert(Points(0, 300, 3));
            source.WriteSnapshot(File("good.snapshot"));
            source.Upsert(Points(300, 10, 3));
        }

        var bytes = System.IO.File.ReadAllBytes(File("good.snapshot"));
        var bad = File("bad.snapshot");
        switch (damage)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x40;
                System.IO.File.WriteAllBytes(bad, bytes);
                break;
            case "truncate":
                System.IO.File.WriteAllBytes(bad, bytes[..(bytes.Length * 2 / 3)]);
                break;
            case "garbage":
                System.IO.File.WriteAllBytes(bad, RandomNumberGenerator.GetBytes(10_000));
                break;
            default:
                using (var output = System.IO.File.Create(bad))
                using (var writer = new TarWriter(output))
                using (var reader = new TarReader(new MemoryStream(bytes)))
                {
                    while (reader.GetNextEntry(copyData: true) is { } entry)
                    {
                        writer.WriteEntry(entry);
                    }

                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../evil") { DataStream = new MemoryStream([1, 2, 3]) });
                }

                break;
        }

        var refused = Assert.Throws<InvalidSnapshotException>(() => Store().Restore(bad, new RestoreOptions(Name: "docs", Replace: true)));
        Assert.Contains(bad, refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);

        using var docs = Store().Open("docs");
        Assert.Equal(310, docs.Count());
        Assert.Equal(["docs"], Store().List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Store().Root, ".creating")));
        Assert.False(System.IO.File.Exists(Path.Combine(_folder.Path, "evil")));
    }

    [Fact]
    public void A_wrong_checksum_is_refused_and_the_right_one_restores_over_the_old_collection()
    {
        string checksum;
        using (var source = Store().Create("docs", new CollectionOptions(Space, Hnsw)))
        {
            source.Upsert(Points(0, 120, 4));
            checksum = source.WriteSnapshot(File("docs.snapshot")).Checksum;
            source.Upsert(Points(120, 30, 4));
        }

        var mismatch = Assert.Throws<InvalidSnapshotException>(() => Store().Restore(File("docs.snapshot"), new RestoreOptions(Replace: true, Checksum: new string('0', 64))));
        Assert.Contains("checksum mismatch", mismatch.Message, StringComparison.Ordinal);
        var exists = Assert.Throws<QuiverException>(() => Store().Restore(File("docs.snapshot")));
        Assert.Contains("already exists", exists.Message, StringComparison.Ordinal);

        var restored = Store().Restore(File("docs.snapshot"), new RestoreOptions(Replace: true, Checksum: checksum.ToUpperInvariant()));
        Assert.True(restored.Replaced);
        Assert.Equal("docs", restored.Name);
        using var docs = Store().Open("docs");
        Assert.Equal(120, docs.Count());
        Assert.False(Directory.EnumerateFileSystemEntries(Path.Combine(Store().Root, ".replaced")).Any());
    }

    [Fact]
    public void The_snapshot_folder_lists_finds_and_deletes_snapshots_and_refuses_other_names()
    {
        var snapshots = new CollectionSnapshots(File("snapshots"));
        using var source = Store().Create("docs", new CollectionOptions(Space));
        source.Upsert(Points(0, 10, 5));
        var first = snapshots.Create(source);
        var second = snapshots.Create(source);
        Assert.NotEqual(first.Name, second.Name);
        Assert.StartsWith("docs-", first.Name, StringComparison.Ordinal);
        Assert.Equal(new[] { first.Name, second.Name }.Order(StringComparer.Ordinal), snapshots.List("docs").Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(first.Path))), first.Checksum);
        Assert.Null(snapshots.Find("docs", "../docs/" + first.Name));
        Assert.Null(snapshots.Find("docs", "nope.snapshot"));
        Assert.Empty(snapshots.List("other"));

        Assert.True(snapshots.Delete("docs", first.Name));
        Assert.False(snapshots.Delete("docs", first.Name));
        Assert.Equal([second.Name], snapshots.List("docs").Select(s => s.Name));

        // Snapshots outlive their collection.
        Store().Delete("docs");
        var restored = Store().Restore(second.Path);
        Assert.Equal("docs", restored.Name);
        Assert.Equal(10, restored.Points);
    }

    [Fact]
    public void Restoring_into_an_alias_restores_its_collection_and_progress_is_reported()
    {
        using (var source = Store().Create("v1", new CollectionOptions(Space)))
        {
            source.Upsert(Points(0, 50, 6));
            var stages = new List<SnapshotProgress>();
            source.WriteSnapshot(File("v1.snapshot"), new SynchronousProgress<SnapshotProgress>(stages.Add));
            Assert.Contains(stages, p => p.Stage == "archive" && p.Bytes == p.TotalBytes);
            source.Upsert(Points(50, 5, 6));
        }

        Store().Aliases.Create("prod", "v1");
        var restored = Store().Restore(File("v1.snapshot"), new RestoreOptions(Name: "prod", Replace: true));
        Assert.Equal("v1", restored.Name);
        using var prod = Store().Open("prod");
        Assert.Equal(50, prod.Count());
        Assert.Equal([new Aliases.CollectionAlias("prod", "v1")], Store().Aliases.List());
    }
}
