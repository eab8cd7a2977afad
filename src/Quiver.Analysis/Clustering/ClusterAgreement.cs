namespace Quiver.Analysis.Clustering;

/// <summary>
/// How well a clustering agrees with known classes: homogeneity, completeness and their harmonic mean, the V-measure
/// (Rosenberg and Hirschberg 2007), and the adjusted Rand index (Hubert and Arabie 1985). Both are 1 for a perfect
/// match; the ARI is about 0 for a random one. Any integer may be a label: −1 (noise) counts as a cluster of its own,
/// as scikit-learn counts it.
/// </summary>
public sealed record ClusterAgreement(double Homogeneity, double Completeness, double VMeasure, double AdjustedRandIndex)
{
    public static ClusterAgreement Compare(IReadOnlyList<int> classes, IReadOnlyList<int> clusters)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(clusters);
        if (classes.Count != clusters.Count)
        {
            throw new ArgumentException($"There are {classes.Count} classes but {clusters.Count} cluster labels; give one of each per point.", nameof(clusters));
        }

        var n = classes.Count;
        var table = new Dictionary<(int Class, int Cluster), long>();
        var classSizes = new Dictionary<int, long>();
        var clusterSizes = new Dictionary<int, long>();
        for (var i = 0; i < n; i++)
        {
            var key = (classes[i], clusters[i]);
            table[key] = table.GetValueOrDefault(key) + 1;
            classSizes[classes[i]] = classSizes.GetValueOrDefault(classes[i]) + 1;
            clusterSizes[clusters[i]] = clusterSizes.GetValueOrDefault(clusters[i]) + 1;
        }

        var hClass = Entropy(classSizes.Values, n);
        var hCluster = Entropy(clusterSizes.Values, n);

        // Conditional entropies from the contingency table: H(C|K) = −Σ n_ck/n · ln(n_ck / n_k).
        double hClassGivenCluster = 0, hClusterGivenClass = 0;
        foreach (var ((c, k), count) in table)
        {
            var p = (double)count / n;
            hClassGivenCluster -= p * Math.Log((double)count / clusterSizes[k]);
            hClusterGivenClass -= p * Math.Log((double)count / classSizes[c]);
        }

        var homogeneity = hClass == 0 ? 1.0 : 1.0 - (hClassGivenCluster / hClass);
        var completeness = hCluster == 0 ? 1.0 : 1.0 - (hClusterGivenClass / hCluster);
        var v = homogeneity + completeness == 0 ? 0.0 : 2 * homogeneity * completeness / (homogeneity + completeness);
        return new ClusterAgreement(homogeneity, completeness, v, AdjustedRand(table.Values, classSizes.Values, clusterSizes.Values, n));
    }

    private static double AdjustedRand(IEnumerable<long> cells, IEnumerable<long> classSizes, IEnumerable<long> clusterSizes, int n)
    {
        static double Pairs(long m) => m * (m - 1) / 2.0;
        var index = cells.Sum(Pairs);
        var classPairs = classSizes.Sum(Pairs);
        var clusterPairs = clusterSizes.Sum(Pairs);
        var total = Pairs(n);
        var expected = total == 0 ? 0 : classPairs * clusterPairs / total;
        var maximum = (classPairs + clusterPairs) / 2;

        // Both partitions all singletons or one block: they agree exactly, and the index is defined as 1.
        return maximum == expected ? 1.0 : (index - expected) / (maximum - expected);
    }

    private static double Entropy(IEnumerable<long> sizes, int n)
    {
        double h = 0;
        foreach (var size in sizes)
        {
            var p = (double)size / n;
            h -= p * Math.Log(p);
        }

        return h;
    }
}
