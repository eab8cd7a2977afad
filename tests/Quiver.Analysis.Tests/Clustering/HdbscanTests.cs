using Quiver.Analysis.Clustering;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Clustering;

public sealed class HdbscanTests
{
    [Fact]
    public void Two_blobs_are_found_and_a_far_point_is_noise()
    {
        var (blobs, truth) = Blobs.Make(clusters: 2, perCluster: 40, dimensions: 3, seed: 7);
        float[] vectors = [.. blobs, 200, 200, 200];
        var fit = Hdbscan.Fit(vectors, 3, new HdbscanOptions { MinClusterSize = 5 });
        Assert.Equal(2, fit.ClusterCount);
        Assert.Equal(-1, fit.Labels[^1]);
        Assert.Equal(1, fit.NoiseCount);
        Assert.Equal(1.0, ClusterAgreement.Compare(truth, fit.Labels[..^1]).AdjustedRandIndex, 12);
    }

    [Fact]
    public void Blobs_of_different_density_are_told_apart_without_k()
    {
        var random = new Random(8);
        var points = new List<float>();
        var truth = new List<int>();
        foreach (var (centre, spread, count, label) in new[] { (0.0, 0.3, 60, 0), (10.0, 1.5, 80, 1), (30.0, 0.1, 30, 2) })
        {
            for (var p = 0; p < count; p++)
            {
                points.Add((float)(centre + (spread * ((random.NextDouble() * 2) - 1))));
                points.Add((float)(spread * ((random.NextDouble() * 2) - 1)));
                truth.Add(label);
            }
        }

        var fit = Hdbscan.Fit([.. points], 2, new HdbscanOptions { MinClusterSize = 10 });
        Assert.Equal(3, fit.ClusterCount);
        var clustered = Enumerable.Range(0, truth.Count).Where(i => fit.Labels[i] >= 0).ToList();
        Assert.True(clustered.Count >= truth.Count * 0.9, $"{truth.Count - clustered.Count} of {truth.Count} points called noise");
        Assert.Equal(1.0, ClusterAgreement.Compare([.. clustered.Select(i => truth[i])], [.. clustered.Select(i => fit.Labels[i])]).AdjustedRandIndex, 12);
    }

    [Fact]
    public void Uniform_noise_with_min_cluster_size_above_half_is_one_group_or_noise()
    {
        // No split leaves two groups of 30 or more among 40 points, so only the root could be a cluster, and it never is.
        var random = new Random(9);
        var vectors = Enumerable.Range(0, 80).Select(_ => (float)random.NextDouble()).ToArray();
        var fit = Hdbscan.Fit(vectors, 2, new HdbscanOptions { MinClusterSize = 30 });
        Assert.Equal(0, fit.ClusterCount);
        Assert.Equal(40, fit.NoiseCount);
    }

    [Fact]
    public void Too_small_a_min_cluster_size_is_refused() =>
        Assert.Throws<QuiverException>(() => Hdbscan.Fit([0, 1, 2], 1, new HdbscanOptions { MinClusterSize = 1 }));
}
