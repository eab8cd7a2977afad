using Quiver.Analysis.Clustering;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Clustering;

public sealed class KSelectionTests
{
    [Fact]
    public void The_number_of_separated_blobs_has_the_best_silhouette()
    {
        var (vectors, truth) = Blobs.Make(clusters: 4, perCluster: 50, dimensions: 5, seed: 6);
        var choice = KSelection.BySilhouette(vectors, 5, 2, 8, new KMeansOptions { K = 2, Inits = 3 });
        Assert.Equal(4, choice.BestK);
        Assert.Equal(Enumerable.Range(2, 7), choice.Scores.Select(s => s.K));
        Assert.Equal(1.0, ClusterAgreement.Compare(truth, choice.Best.Labels).AdjustedRandIndex, 12);

        // The elbow: inertia falls steeply up to the true k and slowly after it.
        var byK = choice.Scores.ToDictionary(s => s.K, s => s.Inertia);
        Assert.True(byK[3] - byK[4] > 10 * (byK[4] - byK[5]));
    }

    [Fact]
    public void A_range_beyond_the_points_is_refused()
    {
        var e = Assert.Throws<QuiverException>(() => KSelection.BySilhouette([0, 1, 2, 3], 1, 2, 5, new KMeansOptions { K = 2 }));
        Assert.Contains("at least 6 points", e.Message);
    }
}
