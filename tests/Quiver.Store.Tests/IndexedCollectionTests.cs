using System.Text.Json.Nodes;
using Quiver.Core.Distances;
using Quiver.Core.Selection;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;

namespace Quiver.Store.Tests;

/// <summary>Collections above the exact threshold: HNSW search, updates, deletes, snapshots and their replay.</summary>
public sealed class IndexedCollectionTests : IDisposable
{
    private const int D = 16;
    private static readonly EmbeddingSpace Space = EmbeddingSpace.Raw(D, DistanceMetric.Cosine);
    private static readonly IndexOptions Hnsw = new() { Kind = IndexKind.Hnsw, ExactThreshold = 500, Hnsw = new HnswParameters(M: 12, EfConstruction: 80, EfSearch: 80) };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CollectionStore Store() => new(_folder.Path);

    private static List<Point> RandomPoints(int n, int seed, string prefix = "p")
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i => new Point(
            $"{prefix}{i}",
            Enumerable.Range(0, D).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
            new JsonObject { ["group"] = i % 10 })).ToList();
    }

    private static double Recall(Collection collection, IReadOnlyList<Point> points, int queries, int seed)
    {
        var live = points.ToList();
        var rows = live.SelectMany(p => Unit(p.Vector)).ToArray();
        double total = 0;
        foreach (var query in RandomPoints(queries, seed, "q"))
        {
            var truth = ExactSearch.Search(rows, D, query.Vector, 10, DistanceMetric.Cosine).Select(h => live[h.Index].Id).ToHashSet();
            total += collection.Search(query.Vector, 10).Count(h => truth.Contains(h.Id)) / 10.0;
        }

        return total / queries;
    }

    private static float[] Unit(float[] v)
    {
        var u = new float[v.Length];
        VectorMath.Normalize(v, u);
        return u;
    }

    [Fact]
    public void A_large_collection_searches_its_graph_with_high_recall()
    {
        var points = RandomPoints(3000, 1);
        using var collection = Store().Create("big", new CollectionOptions(Space, Hnsw));
        collection.Upsert(points);

        Assert.True(Recall(collection, points, 50, 2) >= 0.95);
        var state = collection.InspectIndex();
        Assert.True(state.GraphInUse);
        Assert.Equal(3000, state.LivePoints);
        Assert.Equal(3000, state.LinkedNodes);
        Assert.True(state.BytesPerVector >= D * sizeof(float));
    }

    [Fact]
    public void A_small_collection_searches_exactly()
    {
        using var collection = Store().Create("small", new CollectionOptions(Space, Hnsw));
        collection.Upsert(RandomPoints(100, 3));
        Assert.False(collection.InspectIndex().GraphInUse);
    }

    [Fact]
    public void Updates_and_deletes_are_seen_by_the_graph()
    {
        var points = RandomPoints(2000, 4);
        using var collection = Store().Create("big", new CollectionOptions(Space, Hnsw));
        collection.Upsert(points);
        collection.Search(points[0].Vector, 1);

        // Move p7 onto p1000's vector; delete p1000: a search for that vector must find p7.
        collection.Upsert([points[7] with { Vector = points[1000].Vector }]);
        collection.Delete(["p1000"]);
        var hit = collection.Search(points[1000].Vector, 1)[0];
        Assert.Equal("p7", hit.Id);
        Assert.Equal(1f, hit.Score, 4);
        Assert.DoesNotContain(collection.Search(points[1000].Vector, 50), h => h.Id == "p1000");
        var state = collection.InspectIndex();
        Assert.Equal(1999, state.LivePoints);
        Assert.Equal(2, state.Tombstones);
    }

    [Fact]
    public void Mass_deletes_compact_the_graph()
    {
        var points = RandomPoints(2000, 5);
        using var collection = Store().Create("big", new CollectionOptions(Space, Hnsw));
        collection.Upsert(points);
        collection.Search(points[0].Vector, 1);
        collection.Delete(points.Take(1000).Select(p => p.Id).ToList());

        var state = collection.InspectIndex();
        Assert.Equal(1000, state.LivePoints);
        Assert.Equal(0, state.Tombstones);
        Assert.True(Recall(collection, points.Skip(1000).ToList(), 30, 6) >= 0.95);
    }

    [Fact]
    public void Filtered_search_keeps_recall_at_every_selectivity()
    {
        var random = new Random(7);
        var points = RandomPoints(3000, 8).Select(p => p with { Payload = new JsonObject { ["r"] = random.Next(1000) } }).ToList();
        using var collection = Store().Create("big", new CollectionOptions(Space, Hnsw));
        collection.Upsert(points);
        foreach (var limit in new[] { 500, 100, 10 })
        {
            // r < limit keeps limit/1000 of the points: 50%, 10%, 1%.
            var allowed = points.Where(p => p.Payload!["r"]!.GetValue<int>() < limit).ToList();
            var rows = allowed.SelectMany(p => Unit(p.Vector)).ToArray();
            var filter = new PayloadFilter([new RangeCondition("r", Lt: limit)]);
            double total = 0;
            foreach (var query in RandomPoints(20, 9, "q"))
            {
                var truth = ExactSearch.Search(rows, D, query.Vector, 10, DistanceMetric.Cosine).Select(h => allowed[h.Index].Id).ToHashSet();
                var hits = collection.Search(query.Vector, 10, filter);
                Assert.All(hits, h => Assert.True(h.Payload!["r"]!.GetValue<int>() < limit));
                total += hits.Count(h => truth.Contains(h.Id)) / (double)Math.Min(10, truth.Count);
            }

            Assert.True(total / 20 >= 0.95, $"filtered recall at {limit / 10.0}% was {total / 20:F3}");
        }
    }

    [Fact]
    public void A_snapshot_is_replayed_forward_on_open()
    {
        var points = RandomPoints(1500, 10);
        using (var collection = Store().Create("big", new CollectionOptions(Space, Hnsw)))
        {
            collection.Upsert(points);
            collection.Flush();
            Assert.True(File.Exists(collection.SnapshotPath));

            // Changes after the snapshot live only in SQLite.
            collection.Upsert(RandomPoints(200, 11, "late"));
            collection.Delete(["p3"]);
        }

        using var reopened = Store().Open("big");
        var state = reopened.InspectIndex();
        Assert.Equal(1500, state.SnapshotSequence);
        Assert.Equal(1699, state.LivePoints);
        Assert.Equal(state.DatabaseSequence, state.IndexSequence);
        var late = RandomPoints(200, 11, "late")[17];
        Assert.Equal("late17", reopened.Search(late.Vector, 1)[0].Id);
        Assert.DoesNotContain(reopened.Search(points[3].Vector, 20), h => h.Id == "p3");
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("garbage")]
    public void A_damaged_snapshot_is_ignored_and_the_index_rebuilt(string damage)
    {
        var points = RandomPoints(1200, 12);
        using (var collection = Store().Create("big", new CollectionOptions(Space, Hnsw)))
        {
            collection.Upsert(points);
            collection.Flush();
        }

        var path = Path.Combine(_folder.Path, "big", IndexSnapshot.FileName);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncate":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "flip":
                bytes[bytes.Length / 3] ^= 0x40;
                File.WriteAllBytes(path, bytes);
                break;
            default:
                File.WriteAllText(path, "not a snapshot");
                break;
        }

        using var reopened = Store().Open("big");
        Assert.Equal(1200, reopened.InspectIndex().LivePoints);
        // Self-queries through the rebuilt graph (a graph read from the damaged file would answer none of them).
        var sampled = points.Where((_, i) => i % 100 == 0).ToList();
        var found = sampled.Count(p => reopened.Search(p.Vector, 1, ef: 400)[0].Id == p.Id);
        Assert.True(found == sampled.Count, $"only {found} of {sampled.Count} points found themselves in the rebuilt index");
    }

    [Theory]
    [InlineData(QuantizationKind.Int8, IndexKind.Hnsw, 4, 0.95)]
    [InlineData(QuantizationKind.Int8, IndexKind.Flat, 2, 0.95)]
    [InlineData(QuantizationKind.Binary, IndexKind.Hnsw, 20, 0.75)]
    public void Quantised_collections_rescore_code_candidates_exactly(QuantizationKind kind, IndexKind indexKind, int oversampling, double minimum)
    {
        var points = RandomPoints(3000, 14);
        var options = Hnsw with { Kind = indexKind, Quantization = kind, Oversampling = oversampling };
        using var collection = Store().Create("q", new CollectionOptions(Space, options));
        collection.Upsert(points);

        var recall = Recall(collection, points, 40, 15);
        Assert.True(recall >= minimum, $"{kind} recall@10 was {recall:F3}");
        var state = collection.InspectIndex();
        Assert.Equal(kind, state.Quantization);
        Assert.Equal(kind == QuantizationKind.Int8 ? D + sizeof(float) : sizeof(ulong), state.CodeBytesPerVector);

        // Scores are exact (rescored from the full vectors): a point's own vector scores 1.
        var hit = collection.Search(points[5].Vector, 1)[0];
        Assert.Equal("p5", hit.Id);
        Assert.Equal(1f, hit.Score, 5);

        // Points added after the codes were fitted are encoded too, and settings survive reopening.
        collection.Upsert([new Point("late", points[9].Vector.Select(x => -x).ToArray())]);
        Assert.Equal("late", collection.Search(points[9].Vector.Select(x => -x).ToArray(), 1)[0].Id);
        using var reopened = Store().Open("q");
        Assert.Equal(kind, reopened.IndexOptions.Quantization);
        Assert.Equal(oversampling, reopened.IndexOptions.Oversampling);
        Assert.Equal("p5", reopened.Search(points[5].Vector, 1)[0].Id);
    }

    [Fact]
    public void A_flat_collection_never_builds_a_graph()
    {
        using var collection = Store().Create("flat", new CollectionOptions(Space, Hnsw with { Kind = IndexKind.Flat }));
        collection.Upsert(RandomPoints(800, 13));
        var state = collection.InspectIndex();
        Assert.False(state.GraphInUse);
        Assert.Equal(0, state.LinkedNodes);
        Assert.Equal(IndexKind.Flat, Store().Open("flat").IndexOptions.Kind);
    }
}
