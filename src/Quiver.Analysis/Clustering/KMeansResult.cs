namespace Quiver.Analysis.Clustering;

/// <summary>A k-means fit: each point's cluster (0 to K − 1), the centres (K × dimensions, row-major) and the inertia.</summary>
public sealed record KMeansResult(int K, int Dimensions, int[] Labels, float[] Centroids, double Inertia, int Iterations, bool MiniBatch)
{
    public ReadOnlySpan<float> Centroid(int cluster) => Centroids.AsSpan(cluster * Dimensions, Dimensions);
}
