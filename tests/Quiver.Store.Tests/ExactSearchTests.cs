using System.Text.Json.Nodes;
using Quiver.Core.Distances;
using Quiver.Core.Selection;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Search;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;

namespace Quiver.Store.Tests;

/// <summary>An exact search scans every stored vector: the true top k, whatever the graph or the quantised codes would answer.</summary>
public sealed class ExactSearchTests : IDisposable
{
    private const int D = 32;
    private const int N = 4_000;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // A graph this sparse searched with ef 1 misses many points, so only a real scan finds them all.
    private static IndexOptions Options(QuantizationKind quantization) => new()
    {
        ExactThreshold = 1000,
        Quantization = quantization,
        Hnsw = new HnswParameters(M: 2, EfConstruction: 4, EfSearch: 1),
    };

    private Collection Filled(DistanceMetric metric, QuantizationKind quantization, out List<Point> points)
    {
        var random = new Random(17);
        points = Enumerable.Range(0, N).Select(i => new Point(
            $"p{i}",
            Enumerable.Range(0, D).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
            new JsonObject { ["group"] = i % 10 })).ToList();
        var collection = new CollectionStore(_folder.Path).Create("exact", new CollectionOptions(EmbeddingSpace.Raw(D, metric), Options(quantization)));
        collection.CreatePayloadIndex("group", PayloadIndexKind.Integer);
        collection.Upsert(points);
        return collection;
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine, QuantizationKind.None)]
    [InlineData(DistanceMetric.Euclidean, QuantizationKind.Binary)]
    public void Every_point_is_found_by_an_exact_search_for_its_own_vector(DistanceMetric metric, QuantizationKind quantization)
    {
        using var collection = Filled(metric, quantization, out var points);
        var self = metric == DistanceMetric.Euclidean ? 0f : 1f;
        var missed = points.Where(p => collection.Search(p.Vector, 1, exact: true) is var hits && (hits[0].Id != p.Id || Math.Abs(hits[0].Score - self) > 1e-5)).Select(p => p.Id).ToList();
        Assert.True(missed.Count == 0, $"{missed.Count} of {N} points missed their own vector ({string.Join(", ", missed.Take(5))})");

        // With a filter: the point's own group, and another group (the point itself must then be absent).
        foreach (var (point, i) in points.Select((p, i) => (p, i)).Where(x => x.i % 20 == 0))
        {
            var own = collection.Search(point.Vector, 3, PayloadFilter.Equal("group", JsonValue.Create(i % 10)), exact: true);
            Assert.Equal(point.Id, own[0].Id);
            Assert.All(own, h => Assert.Equal(i % 10, h.Payload!["group"]!.GetValue<int>()));
            var other = collection.Search(point.Vector, 3, PayloadFilter.Equal("group", JsonValue.Create((i + 1) % 10)), exact: true);
            Assert.All(other, h => Assert.Equal((i + 1) % 10, h.Payload!["group"]!.GetValue<int>()));
        }

        // The graph path in the same collection does miss: this setting tells a scan from a graph search.
        Assert.Contains(points.Take(500), p => collection.Search(p.Vector, 1)[0].Id != p.Id);
    }

    [Fact]
    public void An_exact_search_returns_the_true_top_k_with_full_precision_scores()
    {
        using var collection = Filled(DistanceMetric.Cosine, QuantizationKind.Int8, out var points);
        var rows = points.SelectMany(p => Unit(p.Vector)).ToArray();
        var random = new Random(23);
        for (var q = 0; q < 20; q++)
        {
            var query = Enumerable.Range(0, D).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var truth = ExactSearch.Search(rows, D, Unit(query), 10, DistanceMetric.Cosine);
            var hits = collection.Search(new SearchRequest { Vector = query, K = 10, Exact = true });
            Assert.Equal(truth.Select(t => points[t.Index].Id), hits.Select(h => h.Id));
            Assert.All(truth.Zip(hits), pair => Assert.True(Math.Abs(pair.First.Score - pair.Second.Score) <= 1e-5, $"{pair.First.Score} != {pair.Second.Score}"));
        }
    }

    private static float[] Unit(float[] v)
    {
        var u = new float[v.Length];
        VectorMath.Normalize(v, u);
        return u;
    }
}
