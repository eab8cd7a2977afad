namespace Quiver.Analysis.Plots;

/// <summary>One candidate number of clusters with its mean silhouette (higher is better) and inertia (within-cluster sum of squares).</summary>
public readonly record struct KChoice(int K, double Silhouette, double Inertia);
