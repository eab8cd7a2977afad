using Quiver.Analysis.Clustering;

namespace Quiver.Analysis.Tests.Clustering;

public sealed class ClusterAgreementTests
{
    [Fact]
    public void Hand_computed_example_matches()
    {
        // Classes {0,1,2} {3,4,5}; clusters {0,1} {2,3} {4,5}. H(C) = ln 2, H(K) = ln 3, H(C|K) = (1/3) ln 2,
        // H(K|C) = (2/3) ln(3/2) + (1/3) ln 3. Pairs: 2 agree; expected 6·3/15 = 1.2; maximum (6+3)/2 = 4.5.
        var agreement = ClusterAgreement.Compare([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]);
        var completeness = 1 - (((2.0 / 3) * Math.Log(1.5)) + (Math.Log(3) / 3)) / Math.Log(3);
        Assert.Equal(2.0 / 3, agreement.Homogeneity, 12);
        Assert.Equal(completeness, agreement.Completeness, 12);
        Assert.Equal(2 * (2.0 / 3) * completeness / ((2.0 / 3) + completeness), agreement.VMeasure, 12);
        Assert.Equal(0.8 / 3.3, agreement.AdjustedRandIndex, 12);
    }

    [Fact]
    public void Renamed_clusters_agree_perfectly_and_one_big_cluster_is_not_homogeneous()
    {
        var same = ClusterAgreement.Compare([0, 0, 1, 1, 2, 2], [5, 5, -1, -1, 3, 3]);
        Assert.Equal(1.0, same.VMeasure, 12);
        Assert.Equal(1.0, same.AdjustedRandIndex, 12);

        var lumped = ClusterAgreement.Compare([0, 0, 1, 1], [0, 0, 0, 0]);
        Assert.Equal(0.0, lumped.Homogeneity, 12);
        Assert.Equal(1.0, lumped.Completeness, 12);
        Assert.Equal(0.0, lumped.AdjustedRandIndex, 12);
    }

    [Fact]
    public void Different_lengths_are_refused() =>
        Assert.Throws<ArgumentException>(() => ClusterAgreement.Compare([0, 1], [0]));
}
