namespace Quiver.Analysis.Clustering;

/// <summary>Where a k-means fit is: which start of how many, its iteration, and the best inertia so far (NaN before the first ends).</summary>
public readonly record struct KMeansProgress(int Init, int Inits, int Iteration, double BestInertia);
