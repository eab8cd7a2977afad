using Quiver.Analysis.Clustering;

namespace Quiver.Analysis.Tests.Clustering;

public sealed class SilhouetteTests
{
    [Fact]
    public void Four_points_on_a_line_have_the_hand_computed_score()
    {
        // Points 0 and 3: a = 1, b = 10.5; points 1 and 2: a = 1, b = 9.5.
        var expected = ((9.5 / 10.5) + (8.5 / 9.5)) / 2;
        Assert.Equal(expected, Silhouette.Score([0, 1, 10, 11], 1, [0, 0, 1, 1]), 6);
    }

    [Fact]
    public void A_point_alone_scores_zero_and_noise_is_left_out()
    {
        // Cluster 1 is point 2 alone (0); points 0 and 1 each have a = 1 and b = 10 or 9; the noise point is ignored.
        var expected = ((9.0 / 10) + (8.0 / 9) + 0) / 3;
        Assert.Equal(expected, Silhouette.Score([0, 1, 10, 500], 1, [0, 0, 1, -1]), 6);
    }

    [Fact]
    public void A_sample_of_well_separated_blobs_scores_near_one()
    {
        var (vectors, labels) = Blobs.Make(clusters: 3, perCluster: 500, dimensions: 4, seed: 5);
        var sampled = Silhouette.Score(vectors, 4, labels, sampleSize: 300);
        var full = Silhouette.Score(vectors, 4, labels);
        Assert.InRange(sampled, 0.9, 1.0);
        Assert.Equal(full, sampled, 1);
    }

    [Fact]
    public void One_cluster_is_refused() =>
        Assert.Throws<ArgumentException>(() => Silhouette.Score([0, 1, 2], 1, [0, 0, 0]));
}
