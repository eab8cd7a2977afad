using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Selection;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Store.Tests;

/// <summary>The public in-memory index: build, search, filtered search, exact search, save and load.</summary>
public sealed class VectorIndexTests : IDisposable
{
    private const int D = 16;
    private const int N = 3000;
    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-vector-index-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static float[] Rows(int n, int seed, bool unit)
    {
        var random = new Random(seed);
        var rows = new float[n * D];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = (float)((random.NextDouble() * 2) - 1);
        }

        if (unit)
        {
            for (var i = 0; i < n; i++)
            {
                VectorMath.Normalize(rows.AsSpan(i * D, D));
            }
        }

        return rows;
    }

    private static IndexOptions GraphAlways => new() { ExactThreshold = 0, BuildThreads = 2, Hnsw = new HnswParameters(M: 12, EfConstruction: 100) };

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Dot)]
    public void A_graph_search_at_high_ef_equals_the_exact_search(DistanceMetric metric)
    {
        var rows = Rows(N, 1, unit: metric == DistanceMetric.Cosine);
        var index = VectorIndex.Build(rows, D, metric, GraphAlways);
        Assert.Equal(N, index.Count);
        var queries = Rows(50, 2, unit: metric == DistanceMetric.Cosine);
        var found = 0;
        for (var q = 0; q < 50; q++)
        {
            var query = queries.AsSpan(q * D, D);
            var truth = ExactSearch.Search(rows, D, query, 10, metric).Select(h => h.Index).ToList();
            var exact = index.SearchExact(query, 10);
            Assert.Equal(truth, exact.Select(h => h.Id).ToList());
            var graph = index.Search(query, 10, ef: 400);
            found += graph.Select(h => h.Id).Intersect(truth).Count();

            // Scores are the metric's own: cosine similarity, Euclidean distance, dot product.
            var first = rows.AsSpan(graph[0].Id * D, D);
            var expected = metric switch
            {
                DistanceMetric.Euclidean => MathF.Sqrt(Kernels.SquaredL2(query, first)),
                _ => Kernels.Dot(query, first),
            };
            Assert.Equal(expected, graph[0].Score, 4);
        }

        // A 3,000-point graph searched with a beam of 400 should miss nothing (allow one miss in 500).
        Assert.True(found >= 499, $"graph search found {found} of the 500 true neighbours at ef 400");
    }

    [Fact]
    public void A_filtered_search_returns_only_allowed_ids_and_the_best_of_them()
    {
        var rows = Rows(N, 3, unit: false);
        var index = VectorIndex.Build(rows, D, DistanceMetric.Euclidean, GraphAlways);
        var random = new Random(4);
        var queries = Rows(20, 5, unit: false);

        // Half allowed takes the widened graph search; one in a hundred takes the exact scan of the allowed ids.
        foreach (var share in new[] { 0.5, 0.01 })
        {
            var allowed = new AllowedIds(index.Count);
            for (var id = 0; id < index.Count; id++)
            {
                if (random.NextDouble() < share)
                {
                    allowed.Add(id);
                }
            }

            for (var q = 0; q < 20; q++)
            {
                var query = queries.AsSpan(q * D, D);
                var hits = index.Search(query, 10, 200, allowed);
                Assert.Equal(10, hits.Count);
                Assert.All(hits, h => Assert.True(allowed.Contains(h.Id), $"id {h.Id} is not allowed"));
                var truth = ExactSearch.Search(rows, D, query, 10, DistanceMetric.Euclidean, allowed.Contains).Select(h => h.Index);
                Assert.True(hits.Select(h => h.Id).Intersect(truth).Count() >= 9, $"share {share}, query {q}: too few true neighbours");
                Assert.Equal(index.SearchExact(query, 10, allowed).Select(h => h.Id), truth);
            }
        }
    }

    [Fact]
    public void Save_and_load_give_identical_results()
    {
        var rows = Rows(N, 6, unit: true);
        var index = VectorIndex.Build(rows, D, DistanceMetric.Cosine, GraphAlways);
        index.Add(Rows(1, 7, unit: true));
        var path = Path.Combine(_folder, "graph.qhns");
        index.Save(path);

        var loaded = VectorIndex.Load(path, new IndexOptions { ExactThreshold = 0 });
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(D, loaded.Dimensions);
        Assert.Equal(DistanceMetric.Cosine, loaded.Metric);
        Assert.Equal(12, loaded.Options.Hnsw.M);
        Assert.Equal(100, loaded.Options.Hnsw.EfConstruction);
        var queries = Rows(30, 8, unit: true);
        for (var q = 0; q < 30; q++)
        {
            var query = queries.AsSpan(q * D, D);
            Assert.Equal(index.Search(query, 10, 40), loaded.Search(query, 10, 40));
        }
    }

    [Fact]
    public void Adding_one_by_one_links_each_vector()
    {
        var rows = Rows(500, 9, unit: false);
        var index = new VectorIndex(D, DistanceMetric.Euclidean, new IndexOptions { ExactThreshold = 0 });
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(i, index.Add(rows.AsSpan(i * D, D)));
        }

        // Every vector finds itself through the graph.
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(i, index.Search(rows.AsSpan(i * D, D), 1)[0].Id);
        }
    }

    [Fact]
    public void Quantised_search_rescores_with_the_full_vectors()
    {
        var rows = Rows(N, 10, unit: true);
        var index = VectorIndex.Build(rows, D, DistanceMetric.Cosine, GraphAlways with { Quantization = Store.Index.Quantization.QuantizationKind.Int8 });
        Assert.Equal(D + sizeof(float), index.CodeBytesPerVector);
        var query = Rows(1, 11, unit: true);
        var hits = index.Search(query, 5, 200);
        var truth = ExactSearch.Search(rows, D, query, 5, DistanceMetric.Cosine).ToList();
        Assert.Equal(truth.Select(h => h.Index), hits.Select(h => h.Id));
        Assert.Equal(Kernels.Dot(query, rows.AsSpan(hits[0].Id * D, D)), hits[0].Score, 5);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_fix()
    {
        var index = VectorIndex.Build(Rows(100, 12, unit: false), D, DistanceMetric.Euclidean);
        Assert.Contains("16", Assert.Throws<QuiverException>(() => index.Search(new float[3], 5)).Message);
        Assert.Contains("k=0", Assert.Throws<QuiverException>(() => index.Search(new float[D], 0)).Message);
        Assert.Contains("not whole vectors", Assert.Throws<QuiverException>(() => index.AddRange(new float[D + 1])).Message);
        Assert.Contains("outside", Assert.Throws<QuiverException>(() => new AllowedIds(10).Add(10)).Message);
        Assert.Equal(100, index.Count);

        var missing = Path.Combine(_folder, "none.qhns");
        Assert.Contains("no vector index file", Assert.Throws<QuiverException>(() => VectorIndex.Load(missing)).Message);
        var junk = Path.Combine(_folder, "junk.qhns");
        File.WriteAllText(junk, "not an index");
        Assert.Contains("not a vector index file", Assert.Throws<QuiverException>(() => VectorIndex.Load(junk)).Message);

        // A torn file fails its checksum.
        var torn = Path.Combine(_folder, "torn.qhns");
        index.Save(torn);
        var bytes = File.ReadAllBytes(torn);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(torn, bytes);
        Assert.Contains("checksum", Assert.Throws<QuiverException>(() => VectorIndex.Load(torn)).Message);
    }
}
