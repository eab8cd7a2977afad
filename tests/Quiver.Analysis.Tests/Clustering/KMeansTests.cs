using Quiver.Analysis.Clustering;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Clustering;

public sealed class KMeansTests
{
    [Fact]
    public void Separated_blobs_are_recovered_exactly()
    {
        var (vectors, truth) = Blobs.Make(clusters: 4, perCluster: 60, dimensions: 6, seed: 1);
        var fit = KMeans.Fit(vectors, 6, new KMeansOptions { K = 4 });
        Assert.Equal(1.0, ClusterAgreement.Compare(truth, fit.Labels).AdjustedRandIndex, 12);
        Assert.False(fit.MiniBatch);
        Assert.Equal(KMeans.Inertia(vectors, 6, fit.Labels), fit.Inertia, 3);
    }

    [Fact]
    public void Four_corner_points_have_a_known_inertia_and_centres()
    {
        float[] points = [0, 0, 0, 2, 10, 0, 10, 2];
        var fit = KMeans.Fit(points, 2, new KMeansOptions { K = 2 });
        Assert.Equal(4.0, fit.Inertia, 6);
        Assert.Equal(fit.Labels[0], fit.Labels[1]);
        Assert.Equal(fit.Labels[2], fit.Labels[3]);
        Assert.NotEqual(fit.Labels[0], fit.Labels[2]);
        Assert.Equal([10f, 1f], fit.Centroid(fit.Labels[2]).ToArray());
    }

    [Fact]
    public void The_same_seed_gives_the_same_clusters_whatever_the_thread_count()
    {
        var (vectors, _) = Blobs.Make(clusters: 5, perCluster: 400, dimensions: 8, seed: 2, spread: 8);
        var one = KMeans.Fit(vectors, 8, new KMeansOptions { K = 7, Inits = 3, Threads = 1 });
        var many = KMeans.Fit(vectors, 8, new KMeansOptions { K = 7, Inits = 3, Threads = 4 });
        Assert.Equal(one.Labels, many.Labels);
        Assert.Equal(one.Inertia, many.Inertia);
        Assert.Equal(one.Centroids, many.Centroids);
        var otherSeed = KMeans.Fit(vectors, 8, new KMeansOptions { K = 7, Inits = 1, Seed = 7 });
        Assert.NotEqual(one.Centroids, otherSeed.Centroids);
    }

    [Fact]
    public void More_starts_never_give_a_worse_inertia()
    {
        var (vectors, _) = Blobs.Make(clusters: 6, perCluster: 100, dimensions: 4, seed: 3, spread: 12);
        var single = KMeans.Fit(vectors, 4, new KMeansOptions { K = 6, Inits = 1 });
        var ten = KMeans.Fit(vectors, 4, new KMeansOptions { K = 6, Inits = 10 });
        Assert.True(ten.Inertia <= single.Inertia, $"{ten.Inertia} > {single.Inertia}");
    }

    [Fact]
    public void Mini_batch_recovers_separated_blobs()
    {
        var (vectors, truth) = Blobs.Make(clusters: 3, perCluster: 2_000, dimensions: 5, seed: 4);
        var fit = KMeans.Fit(vectors, 5, new KMeansOptions { K = 3, Inits = 3, MiniBatch = true, BatchSize = 256 });
        Assert.True(fit.MiniBatch);
        Assert.Equal(1.0, ClusterAgreement.Compare(truth, fit.Labels).AdjustedRandIndex, 12);

        // The centres are running means, not the exact means of their points, so the inertia is a little above the best for these labels.
        var exact = KMeans.Inertia(vectors, 5, fit.Labels);
        Assert.InRange(fit.Inertia, exact, exact * 1.001);
    }

    [Fact]
    public void Fewer_points_than_clusters_is_refused_with_both_counts()
    {
        var e = Assert.Throws<QuiverException>(() => KMeans.Fit([0, 1, 2], 1, new KMeansOptions { K = 5 }));
        Assert.Contains("5 clusters need at least 5 points; there are 3", e.Message);
    }

    [Fact]
    public void A_value_that_is_not_finite_is_named()
    {
        var e = Assert.Throws<QuiverException>(() => KMeans.Fit([0, 1, 2, float.NaN], 2, new KMeansOptions { K = 1 }));
        Assert.Contains("Row 1", e.Message);
    }

    [Fact]
    public void Fewer_distinct_points_than_clusters_still_converge()
    {
        float[] points = [1, 1, 1, 1, 1, 1, 5, 5];
        var fit = KMeans.Fit(points, 2, new KMeansOptions { K = 3 });
        Assert.Equal(0.0, fit.Inertia, 6);
        Assert.Equal(fit.Labels[0], fit.Labels[2]);
        Assert.NotEqual(fit.Labels[0], fit.Labels[3]);
    }
}
