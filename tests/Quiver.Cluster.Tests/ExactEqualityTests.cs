using System.Text.Json.Nodes;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Search;
using Quiver.Store.Keyword;

namespace Quiver.Cluster.Tests;

/// <summary>
/// A collection sharded over three silos (4 shards, 2 replicas each) against one single-node collection holding the
/// same points: in exact mode every kind of search must give the same ids, in the same order, with the same scores.
/// </summary>
public sealed class ExactEqualityTests(ThreeSiloCluster cluster) : IClassFixture<ThreeSiloCluster>, IDisposable
{
    private const int Dimensions = 16;
    private readonly string _single = Path.Combine(Path.GetTempPath(), "quiver-cluster-tests", "single-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_single))
        {
            Directory.Delete(_single, recursive: true);
        }
    }

    private async Task<(DistributedCollection Distributed, Collection Single)> Both(string name, DistanceMetric metric, KeywordStemming stemming)
    {
        var space = EmbeddingSpace.Raw(Dimensions, metric);
        var points = TestPoints.Make(700, Dimensions, seed: 11);
        var distributed = await DistributedCollection.CreateAsync(cluster.Client, name, new DistributedCollectionOptions(space, Shards: 4, ReplicationFactor: 2, stemming));
        var single = new CollectionStore(_single).Create(name, new CollectionOptions(space, Keyword: new KeywordOptions(stemming)));
        foreach (var batch in points.Chunk(150))
        {
            await distributed.UpsertAsync(batch);
            single.Upsert(batch);
        }

        var gone = new[] { "p5", "p77", "p300" };
        await distributed.DeleteAsync(gone);
        single.Delete(gone);
        return (distributed, single);
    }

    private static void Same(IReadOnlyList<SearchHit> expected, IReadOnlyList<SearchHit> actual)
    {
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(h => (h.Id, h.Score)), actual.Select(h => (h.Id, h.Score)));
        Assert.Equal(expected.Select(h => h.Payload?.ToJsonString()), actual.Select(h => h.Payload?.ToJsonString()));
        Assert.Equal(expected.Select(h => h.Text), actual.Select(h => h.Text));
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    public async Task Dense_and_filtered_search_equal_a_single_collection(DistanceMetric metric)
    {
        var (distributed, single) = await Both("dense-" + metric.ToString().ToLowerInvariant(), metric, KeywordStemming.None);
        using var _ = single;
        var filters = new PayloadFilter?[]
        {
            null,
            PayloadFilter.Equal("group", JsonValue.Create(2)),
            new([new RangeCondition("rank", Gte: 100, Lt: 400)], MustNot: [new FieldCondition("group", JsonValue.Create(1))]),
        };
        for (var q = 0; q < 5; q++)
        {
            var query = TestPoints.Query(Dimensions, seed: 100 + q);
            foreach (var filter in filters)
            {
                Same(single.Search(query, 15, filter, exact: true), await distributed.SearchAsync(query, 15, filter, exact: true));
            }
        }
    }

    [Theory]
    [InlineData(KeywordStemming.None)]
    [InlineData(KeywordStemming.English)]
    public async Task Keyword_search_uses_collection_wide_bm25_statistics(KeywordStemming stemming)
    {
        var (distributed, single) = await Both("keyword-" + stemming.ToString().ToLowerInvariant(), DistanceMetric.Cosine, stemming);
        using var _ = single;
        foreach (var query in new[] { "whale", "storm sail", "anchors anchor tide", "harpoon captain gull reef" })
        {
            Same(single.SearchKeyword(query, 20), await distributed.SearchKeywordAsync(query, 20));
            var filter = PayloadFilter.Equal("group", JsonValue.Create(3));
            Same(single.SearchKeyword(query, 20, filter), await distributed.SearchKeywordAsync(query, 20, filter));
        }
    }

    [Fact]
    public async Task Hybrid_fusion_threshold_and_mmr_run_after_the_merge()
    {
        var (distributed, single) = await Both("hybrid", DistanceMetric.Cosine, KeywordStemming.English);
        using var _ = single;
        var query = TestPoints.Query(Dimensions, seed: 7);
        var requests = new[]
        {
            new SearchRequest { Vector = query, Text = "whale storm", K = 12, Exact = true, Candidates = 40 },
            new SearchRequest { Vector = query, Text = "sail deck", K = 12, Exact = true, Fusion = FusionMethod.WeightedSum, KeywordWeight = 0.3, Candidates = 30 },
            new SearchRequest { Vector = query, K = 10, Exact = true, MmrLambda = 0.5, Candidates = 50 },
            new SearchRequest { Vector = query, Text = "compass", K = 8, Exact = true, MmrLambda = 0.7, Filter = PayloadFilter.Equal("group", JsonValue.Create(0)) },
            new SearchRequest { Vector = query, K = 50, Exact = true, ScoreThreshold = 0.3f },
        };
        foreach (var request in requests)
        {
            Same(single.Search(request), await distributed.SearchAsync(request));
        }
    }

    [Fact]
    public async Task Pages_exclusions_and_vectors_of_a_request_equal_a_single_collection()
    {
        var (distributed, single) = await Both("paged", DistanceMetric.Cosine, KeywordStemming.English);
        using var _ = single;
        var query = TestPoints.Query(Dimensions, seed: 9);
        var first = single.Search(query, 5, exact: true);
        var excluded = new HashSet<string>(StringComparer.Ordinal) { first[0].Id, first[2].Id };
        var requests = new[]
        {
            new SearchRequest { Vector = query, K = 10, Offset = 7, Exclude = excluded, Exact = true, WithVectors = true },
            new SearchRequest { Vector = query, Text = "whale storm", K = 6, Offset = 4, Exclude = excluded, Exact = true, Candidates = 40 },
        };
        foreach (var request in requests)
        {
            var expected = single.Search(request);
            var actual = await distributed.SearchAsync(request);
            Same(expected, actual);
            Assert.DoesNotContain(actual, h => excluded.Contains(h.Id));
            Assert.Equal(expected.Select(h => h.Vector), actual.Select(h => h.Vector));
        }
    }

    [Fact]
    public async Task Scroll_and_count_equal_a_single_collection()
    {
        var (distributed, single) = await Both("scroll", DistanceMetric.Cosine, KeywordStemming.None);
        using var _ = single;
        var filter = PayloadFilter.Equal("group", JsonValue.Create(1));
        Assert.Equal(single.Count(), await distributed.CountAsync());
        Assert.Equal(single.Count(filter), await distributed.CountAsync(filter));
        foreach (var f in new[] { null, filter })
        {
            string? offset = null, expectedOffset = null;
            do
            {
                var expected = single.Scroll(64, expectedOffset, f, withVectors: true);
                var actual = await distributed.ScrollAsync(64, offset, f, withVectors: true);
                Assert.Equal(expected.Points.Select(p => p.Id), actual.Points.Select(p => p.Id));
                Assert.Equal(expected.Points.Select(p => p.Vector), actual.Points.Select(p => p.Vector));
                Assert.Equal(expected.NextOffset, actual.NextOffset);
                offset = actual.NextOffset;
                expectedOffset = expected.NextOffset;
            }
            while (offset is not null);
        }
    }

    [Fact]
    public async Task Replicas_go_on_different_silos_and_bad_layouts_are_refused()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Cosine);
        var collection = await DistributedCollection.CreateAsync(cluster.Client, "layout", new DistributedCollectionOptions(space, Shards: 3, ReplicationFactor: 3));
        foreach (var shard in collection.Layout.Shards)
        {
            Assert.Equal(3, shard.Replicas.Select(r => r.Silo).Distinct().Count());
        }

        var tooMany = await Assert.ThrowsAsync<Quiver.Core.QuiverException>(() =>
            DistributedCollection.CreateAsync(cluster.Client, "too-many", new DistributedCollectionOptions(space, Shards: 2, ReplicationFactor: 4)));
        Assert.Contains("replication factor 4", tooMany.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Quiver.Core.QuiverException>(() =>
            DistributedCollection.CreateAsync(cluster.Client, "layout", new DistributedCollectionOptions(space)));
        var wrong = await Assert.ThrowsAsync<Quiver.Core.Distances.InvalidVectorException>(() =>
            collection.UpsertAsync([new Point("x", new float[3])]));
        Assert.Contains("16-dimensional", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(0, await collection.CountAsync());
    }
}
