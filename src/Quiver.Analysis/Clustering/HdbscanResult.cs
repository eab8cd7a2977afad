namespace Quiver.Analysis.Clustering;

/// <summary>
/// An HDBSCAN clustering: each point's cluster (0 to <see cref="ClusterCount"/> − 1) or −1 for noise, and each
/// selected cluster's stability (its excess of mass: how long, in 1 / distance, its points stay together).
/// </summary>
public sealed record HdbscanResult(int[] Labels, int ClusterCount, IReadOnlyList<double> Stabilities)
{
    public int NoiseCount => Labels.Count(l => l < 0);
}
