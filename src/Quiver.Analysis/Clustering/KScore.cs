namespace Quiver.Analysis.Clustering;

/// <summary>One k tried while choosing k: its mean silhouette (higher is better) and inertia (the elbow curve).</summary>
public readonly record struct KScore(int K, double Silhouette, double Inertia);
