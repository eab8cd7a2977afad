namespace Quiver.Analysis.Clustering;

/// <summary>The two settings of HDBSCAN (Campello, Moulavi and Sander 2013), with the hdbscan library's meanings.</summary>
public sealed record HdbscanOptions
{
    /// <summary>The fewest points a group needs to count as a cluster; smaller groups that split off are noise.</summary>
    public int MinClusterSize { get; init; } = 10;

    /// <summary>
    /// The neighbour whose distance is a point's core distance, the point itself counted first; larger values make
    /// the clustering more conservative (more noise). Null means <see cref="MinClusterSize"/>.
    /// </summary>
    public int? MinSamples { get; init; }

    /// <summary>Threads for the distance work; null for every processor.</summary>
    public int? Threads { get; init; }
}
