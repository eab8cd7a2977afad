using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Search;

namespace Quiver.Store.Tests;

public sealed class HybridSearchTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reciprocal_rank_fusion_sums_one_over_k_plus_rank()
    {
        var fused = RankFusion.ReciprocalRank([["a", "b", "c"], ["c", "a", "d"]], 60);
        Assert.Equal(["a", "c", "b", "d"], fused.Select(f => f.Id));
        Assert.Equal((1.0 / 61) + (1.0 / 62), fused[0].Score, 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
        Assert.Equal(1.0 / 63, fused[3].Score, 12);
        Assert.Throws<QuiverException>(() => RankFusion.ReciprocalRank([["a"]], -1));
    }

    [Fact]
    public void Weighted_sum_mixes_min_max_normalised_scores()
    {
        // Dense normalised: a 1, b 0.5, c 0. Keyword normalised: c 1, d 0.25, b 0. Weight 0.25 on keyword.
        var fused = RankFusion.WeightedSum([("a", 0.9), ("b", 0.5), ("c", 0.1)], [("c", 10), ("d", 4), ("b", 2)], 0.25);
        Assert.Equal(["a", "b", "c", "d"], fused.Select(f => f.Id));
        Assert.Equal([0.75, 0.375, 0.25, 0.0625], fused.Select(f => Math.Round(f.Score, 12)));
        Assert.Equal([1.0, 1.0], RankFusion.MinMax([("x", 3), ("y", 3)]).Select(m => m.Score));
        Assert.Throws<QuiverException>(() => RankFusion.WeightedSum([], [], 1.5));
    }

    [Fact]
    public void Mmr_trades_relevance_for_novelty()
    {
        double[,] similarity = { { 1, 0.99, 0 }, { 0.99, 1, 0 }, { 0, 0, 1 } };
        double Similarity(int a, int b) => similarity[a, b];

        // λ = 0.5: after 0, candidate 1 scores 0.5 × 0.95 − 0.5 × 0.99 = −0.02, candidate 2 scores 0.5 × 0.5 = 0.25.
        Assert.Equal([0, 2, 1], RankFusion.MaximalMarginalRelevance([1, 0.95, 0.5], Similarity, 3, 0.5));
        Assert.Equal([0, 1], RankFusion.MaximalMarginalRelevance([1, 0.95, 0.5], Similarity, 2, 1));
        Assert.Throws<QuiverException>(() => RankFusion.MaximalMarginalRelevance([1], Similarity, 1, -0.1));
    }

    private Collection Fixture(DistanceMetric metric = DistanceMetric.Cosine)
    {
        var collection = new CollectionStore(_folder.Path).Create("docs", new CollectionOptions(EmbeddingSpace.Raw(3, metric)));
        collection.Upsert([
            new Point("dense-only", [1, 0, 0], null, "sailing vessels"),
            new Point("twin", [0.99f, 0.1f, 0], null, "sailing vessels again"),
            new Point("both", [0.7f, 0.7f, 0], null, "whale ships"),
            new Point("keyword-only", [0, 0, 1], null, "whale whale whale"),
            new Point("neither", [0, 1, 0], null, "mountain air"),
        ]);
        return collection;
    }

    [Fact]
    public void Hybrid_search_finds_what_either_side_finds_and_ranks_agreement_first()
    {
        using var collection = Fixture();
        float[] query = [1, 0.2f, 0];
        var dense = collection.Search(new SearchRequest { Vector = query, K = 3 });
        Assert.Equal(3, dense.Count);
        Assert.DoesNotContain("keyword-only", dense.Select(h => h.Id));

        var keyword = collection.Search(new SearchRequest { Text = "whale", K = 3 });
        Assert.Equal(["keyword-only", "both"], keyword.Select(h => h.Id));

        // Each side gives 3 candidates (dense: twin, dense-only, both; keyword: keyword-only, both).
        // RRF: both 1/63 + 1/62, twin 1/61, keyword-only 1/61, dense-only 1/62.
        var hybrid = collection.Search(new SearchRequest { Vector = query, Text = "whale", K = 3, Candidates = 3 });
        Assert.Contains("keyword-only", hybrid.Select(h => h.Id));
        Assert.Equal(["both", "keyword-only", "twin"], hybrid.Select(h => h.Id));
        Assert.Equal((1.0 / 63) + (1.0 / 62), hybrid[0].Score, 6);
        Assert.Equal("whale ships", hybrid[0].Text);

        // Weighted sum at the extremes is one side's order.
        var keywordOnly = collection.Search(new SearchRequest { Vector = query, Text = "whale", K = 2, Fusion = FusionMethod.WeightedSum, KeywordWeight = 1 });
        Assert.Equal(["keyword-only", "both"], keywordOnly.Select(h => h.Id));
        var denseOnly = collection.Search(new SearchRequest { Vector = query, Text = "whale", K = 2, Fusion = FusionMethod.WeightedSum, KeywordWeight = 0 });
        Assert.Equal(dense.Take(2).Select(h => h.Id), denseOnly.Select(h => h.Id));
    }

    [Fact]
    public void Mmr_drops_a_near_duplicate_and_the_threshold_cuts_weak_hits()
    {
        using var collection = new CollectionStore(_folder.Path).Create("mmr", new CollectionOptions(EmbeddingSpace.Raw(3, DistanceMetric.Cosine)));
        collection.Upsert([
            new Point("a", [1, 0, 0], null, "a"),
            new Point("a-copy", [1, 0.01f, 0], null, "a copy"),
            new Point("b", [0.6f, 0.8f, 0], null, "b"),
            new Point("far", [0, 0, 1], null, "far"),
        ]);
        float[] query = [1, 0.1f, 0];
        Assert.Equal(["a-copy", "a"], collection.Search(new SearchRequest { Vector = query, K = 2 }).Select(h => h.Id));

        // Relevance (min-max over the 4 candidates): a-copy 1, a 0.995, b 0.68, far 0. After a-copy, λ = 0.5 gives
        // a 0.5 × 0.995 − 0.5 × 1.0 < 0, b 0.5 × 0.68 − 0.5 × 0.61 > 0, far 0.
        var diverse = collection.Search(new SearchRequest { Vector = query, K = 2, MmrLambda = 0.5, Candidates = 4 });
        Assert.Equal(["a-copy", "b"], diverse.Select(h => h.Id));
        Assert.Equal(["a-copy", "a"], collection.Search(new SearchRequest { Vector = query, K = 2, MmrLambda = 1, Candidates = 4 }).Select(h => h.Id));

        var strong = collection.Search(new SearchRequest { Vector = query, K = 5, ScoreThreshold = 0.9f });
        Assert.Equal(["a-copy", "a"], strong.Select(h => h.Id));
        Assert.All(strong, h => Assert.True(h.Score >= 0.9f));
    }

    [Fact]
    public void Euclidean_thresholds_are_maximum_distances()
    {
        using var collection = Fixture(DistanceMetric.Euclidean);
        var near = collection.Search(new SearchRequest { Vector = [1, 0, 0], K = 5, ScoreThreshold = 0.5f });
        Assert.Equal(["dense-only", "twin"], near.Select(h => h.Id));
        var hybrid = collection.Search(new SearchRequest { Vector = [1, 0, 0], Text = "whale", K = 5, Fusion = FusionMethod.WeightedSum, KeywordWeight = 0 });
        Assert.Equal("dense-only", hybrid[0].Id);
    }

    [Fact]
    public void A_mode_without_its_query_is_refused()
    {
        using var collection = Fixture();
        Assert.Throws<QuiverException>(() => collection.Search(new SearchRequest()));
        Assert.Contains("vector", Assert.Throws<QuiverException>(() => collection.Search(new SearchRequest { Text = "whale", Mode = SearchMode.Hybrid })).Message, StringComparison.Ordinal);
        Assert.Contains("text", Assert.Throws<QuiverException>(() => collection.Search(new SearchRequest { Vector = [1, 0, 0], Mode = SearchMode.Keyword })).Message, StringComparison.Ordinal);
        Assert.Throws<QuiverException>(() => collection.Search(new SearchRequest { Text = "whale", K = 0 }));
    }
}
