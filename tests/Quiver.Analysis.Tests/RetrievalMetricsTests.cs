using Quiver.Analysis.Metrics;

namespace Quiver.Analysis.Tests;

public sealed class RetrievalMetricsTests
{
    // Relevant: a (gain 3), b (gain 1), z (gain 2, never retrieved); x and y are not relevant.
    private static readonly Dictionary<string, int> Gains = new() { ["a"] = 3, ["b"] = 1, ["z"] = 2, ["x"] = 0 };
    private static readonly string[] Ranking = ["x", "a", "y", "b"];

    [Fact]
    public void Ndcg_uses_linear_graded_gains_over_the_ideal_order()
    {
        // DCG@10 = 3 / log2(3) + 1 / log2(5); ideal = 3 / log2(2) + 2 / log2(3) + 1 / log2(4).
        var expected = ((3 / Math.Log2(3)) + (1 / Math.Log2(5))) / (3 + (2 / Math.Log2(3)) + 0.5);
        Assert.Equal(expected, RetrievalMetrics.NdcgAt(Ranking, Gains, 10), 12);

        // At 2 only a counts, against the ideal's first two.
        Assert.Equal((3 / Math.Log2(3)) / (3 + (2 / Math.Log2(3))), RetrievalMetrics.NdcgAt(Ranking, Gains, 2), 12);
        Assert.Equal(1, RetrievalMetrics.NdcgAt(["a", "z", "b"], Gains, 10), 12);
        Assert.Equal(0, RetrievalMetrics.NdcgAt(Ranking, new Dictionary<string, int>(), 10));
    }

    [Fact]
    public void Average_precision_recall_and_reciprocal_rank()
    {
        // Relevant found at ranks 2 and 4: precisions 1/2 and 2/4, over 3 relevant documents.
        Assert.Equal(((1 / 2.0) + (2 / 4.0)) / 3, RetrievalMetrics.AveragePrecision(Ranking, Gains), 12);
        Assert.Equal(2 / 3.0, RetrievalMetrics.RecallAt(Ranking, Gains, 100), 12);
        Assert.Equal(1 / 3.0, RetrievalMetrics.RecallAt(Ranking, Gains, 2), 12);
        Assert.Equal(0.5, RetrievalMetrics.ReciprocalRank(Ranking, Gains), 12);
        Assert.Equal(0, RetrievalMetrics.ReciprocalRank(["x", "y"], Gains));
    }
}
