using Quiver.Analysis.Outliers;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Outliers;

public sealed class OutlierScoresTests
{
    // 0, 1, 2 and 10 on a line with k = 1, worked by hand: the first three have k-distance 1 and reach distance 1, so
    // density 1 and LOF 1; 10's nearest is 2 at 8, its density 1/8, so LOF = 1 / (1/8) = 8.
    private static readonly float[][] Line = [[0], [1], [2], [10]];

    [Fact]
    public void Lof_matches_the_hand_worked_line()
    {
        var scores = OutlierScores.Compute(Line, k: 1);

        Assert.Equal([1, 1, 1, 8], scores.Select(s => Math.Round(s, 6)));
    }

    [Fact]
    public void Knn_distance_is_the_mean_distance_to_the_k_nearest()
    {
        Assert.Equal([1, 1, 1, 8], OutlierScores.Compute(Line, k: 1, OutlierMethod.KnnDistance));
        Assert.Equal([1.5, 1, 1.5, 8.5], OutlierScores.Compute(Line, k: 2, OutlierMethod.KnnDistance));
    }

    [Fact]
    public void Lof_rates_a_sparse_cluster_as_normal_where_knn_distance_does_not()
    {
        // A dense cluster (spacing 0.1), a sparse one (spacing 5) and one point far from both.
        var points = new List<float[]>();
        for (var i = 0; i < 10; i++)
        {
            for (var j = 0; j < 10; j++)
            {
                points.Add([i * 0.1f, j * 0.1f]);
                points.Add([1000 + (i * 5f), j * 5f]);
            }
        }

        points.Add([500, 500]);
        var lof = OutlierScores.Compute(points, k: 5);
        var knn = OutlierScores.Compute(points, k: 5, OutlierMethod.KnnDistance);

        Assert.Equal(points.Count - 1, Array.IndexOf(lof, lof.Max()));
        Assert.True(lof[^1] > 10, $"the far point's LOF is {lof[^1]}");
        Assert.All(lof[..^1], s => Assert.InRange(s, 0.8, 1.5));
        var sparse = Enumerable.Range(0, 100).Select(i => knn[(2 * i) + 1]).Min();
        var dense = Enumerable.Range(0, 100).Select(i => knn[2 * i]).Max();
        Assert.True(sparse > 10 * dense, "kNN distance should rate every sparse-cluster point above every dense one");
    }

    [Fact]
    public void A_neighbourhood_as_large_as_the_input_is_refused_with_the_fix()
    {
        var error = Assert.Throws<QuiverException>(() => OutlierScores.Compute(Line, k: 4));

        Assert.Contains("k = 4 needs more than 4 points; there are 4", error.Message);
        Assert.Contains("-k 3", error.Message);
    }
}
