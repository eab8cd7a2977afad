using Quiver.Core;

namespace Quiver.Analysis.Clustering;

/// <summary>
/// HDBSCAN, density-based clustering that needs no k and marks points in no dense region as noise (−1): core
/// distances, a minimum spanning tree of mutual reachability, the condensed cluster tree and excess-of-mass selection
/// (Campello, Moulavi and Sander 2013, in the accelerated form McInnes and Healy 2017 describe). Euclidean distance;
/// it costs about n² distance computations, in parallel.
/// </summary>
public static class Hdbscan
{
    /// <param name="progress">Reports the share of the spanning tree built, from 0 to 1.</param>
    public static HdbscanResult Fit(float[] vectors, int dimensions, HdbscanOptions options, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        PointMatrix.CheckFinite(vectors, dimensions);
        var data = new PointMatrix(vectors, dimensions);
        var minSamples = options.MinSamples ?? options.MinClusterSize;
        if (options.MinClusterSize < 2 || minSamples < 1)
        {
            throw new QuiverException($"min_cluster_size must be 2 or more and min_samples 1 or more (they are {options.MinClusterSize} and {minSamples}).");
        }

        if (data.Rows < options.MinClusterSize)
        {
            throw new QuiverException($"A cluster of at least {options.MinClusterSize} points needs that many points; there are {data.Rows}.");
        }

        var threads = options.Threads ?? Environment.ProcessorCount;
        var core = MutualReachability.CoreDistances(data, minSamples, threads);
        var edges = MutualReachability.SpanningTree(data, core, threads, step => progress?.Report((double)step / Math.Max(1, data.Rows - 1)), cancellationToken);
        progress?.Report(1);
        return CondensedTree.Cluster(edges, data.Rows, options.MinClusterSize);
    }
}
