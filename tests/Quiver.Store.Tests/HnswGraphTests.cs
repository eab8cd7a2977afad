using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Selection;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Store.Tests;

public sealed class HnswGraphTests
{
    private static float[] RandomRows(int n, int d, int seed, bool unit)
    {
        var random = new Random(seed);
        var rows = new float[n * d];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = (float)((random.NextDouble() * 2) - 1);
        }

        if (unit)
        {
            for (var i = 0; i < n; i++)
            {
                VectorMath.Normalize(rows.AsSpan(i * d, d));
            }
        }

        return rows;
    }

    private static double Recall(HnswGraph graph, float[] rows, float[] queries, int d, int k, int ef, DistanceMetric metric, NodeSet? allowed = null)
    {
        double total = 0;
        var n = queries.Length / d;
        for (var i = 0; i < n; i++)
        {
            var q = queries.AsSpan(i * d, d);
            var truth = ExactSearch.Search(rows, d, q, k, metric, allowed is null ? null : allowed.Contains).Select(h => h.Index).ToHashSet();
            var found = graph.Search(q, k, ef, allowed);
            total += found.Count(f => truth.Contains(f.Node)) / (double)k;
        }

        return total / n;
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine, 1)]
    [InlineData(DistanceMetric.Euclidean, 2)]
    [InlineData(DistanceMetric.Dot, 2)]
    public void Recall_at_10_is_high_on_random_data(DistanceMetric metric, int threads)
    {
        const int d = 24;
        var rows = RandomRows(3000, d, 1, unit: metric == DistanceMetric.Cosine);
        var queries = RandomRows(100, d, 2, unit: metric == DistanceMetric.Cosine);
        var graph = new HnswGraph(d, metric, new HnswParameters(M: 12, EfConstruction: 100));
        graph.AddRange(rows, threads);

        Assert.Equal(3000, graph.LinkedCount);
        var recall = Recall(graph, rows, queries, d, k: 10, ef: 100, metric);
        Assert.True(recall >= 0.95, $"recall@10 was {recall:F3}");
    }

    [Fact]
    public void Results_are_sorted_and_scores_match_the_metric()
    {
        const int d = 8;
        var rows = RandomRows(500, d, 3, unit: false);
        var graph = new HnswGraph(d, DistanceMetric.Euclidean, new HnswParameters(M: 8, EfConstruction: 50));
        graph.AddRange(rows, 1);
        var q = RandomRows(1, d, 4, unit: false);
        var hits = graph.Search(q, 5, 50, null);
        Assert.Equal(5, hits.Count);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
        Assert.Equal(VectorMath.Euclidean(q, graph.Vector(hits[0].Node)), graph.Score(hits[0].Distance), 4);
    }

    [Fact]
    public void Deleted_nodes_are_never_returned_but_still_route()
    {
        const int d = 16;
        var rows = RandomRows(2000, d, 5, unit: true);
        var graph = new HnswGraph(d, DistanceMetric.Cosine, new HnswParameters(M: 8, EfConstruction: 60));
        graph.AddRange(rows, 2);
        for (var node = 0; node < 2000; node += 2)
        {
            graph.MarkDeleted(node);
        }

        Assert.Equal(1000, graph.DeletedCount);
        var queries = RandomRows(50, d, 6, unit: true);
        var live = new NodeSet(2000);
        for (var node = 1; node < 2000; node += 2)
        {
            live.Add(node);
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.All(graph.Search(queries.AsSpan(i * d, d), 10, 80, null), h => Assert.True(h.Node % 2 == 1));
        }

        // Recall among the live nodes holds with half the graph tombstoned.
        Assert.True(Recall(graph, rows, queries, d, 10, 120, DistanceMetric.Cosine, live) >= 0.9);
    }

    [Fact]
    public void A_filter_limits_results_to_the_allowed_nodes()
    {
        const int d = 16;
        var rows = RandomRows(2000, d, 7, unit: true);
        var graph = new HnswGraph(d, DistanceMetric.Cosine, new HnswParameters(M: 8, EfConstruction: 60));
        graph.AddRange(rows, 1);
        var allowed = new NodeSet(2000);
        for (var node = 0; node < 2000; node += 3)
        {
            allowed.Add(node);
        }

        var queries = RandomRows(50, d, 8, unit: true);
        for (var i = 0; i < 50; i++)
        {
            Assert.All(graph.Search(queries.AsSpan(i * d, d), 10, 100, allowed), h => Assert.True(allowed.Contains(h.Node)));
        }

        Assert.True(Recall(graph, rows, queries, d, 10, 150, DistanceMetric.Cosine, allowed) >= 0.9);
    }

    [Fact]
    public void Appended_nodes_join_the_graph_when_linked()
    {
        const int d = 8;
        var rows = RandomRows(300, d, 9, unit: true);
        var graph = new HnswGraph(d, DistanceMetric.Cosine, new HnswParameters(M: 8, EfConstruction: 40));
        for (var i = 0; i < 300; i++)
        {
            graph.Append(rows.AsSpan(i * d, d));
        }

        Assert.Equal(0, graph.LinkedCount);
        Assert.Empty(graph.Search(rows.AsSpan(0, d), 1, 10, null));
        graph.LinkPending(threads: 1);
        Assert.Equal(300, graph.LinkedCount);
        Assert.Equal(0, graph.Search(rows.AsSpan(0, d), 1, 10, null)[0].Node);
        Assert.Equal(42, graph.Search(rows.AsSpan(42 * d, d), 1, 10, null)[0].Node);
    }

    [Fact]
    public void Parameters_are_validated()
    {
        Assert.Throws<QuiverException>(() => new HnswGraph(4, DistanceMetric.Cosine, new HnswParameters(M: 1)));
        Assert.Throws<QuiverException>(() => new HnswGraph(4, DistanceMetric.Cosine, new HnswParameters(M: 16, EfConstruction: 8)));
        Assert.Throws<QuiverException>(() => new HnswGraph(4, DistanceMetric.Cosine, new HnswParameters(EfSearch: 0)));
    }
}
