namespace Quiver.Analysis.Clustering;

/// <summary>How <see cref="KMeans"/> runs. The defaults follow scikit-learn's KMeans (k-means++, 300 iterations, tolerance 1e-4).</summary>
public sealed record KMeansOptions
{
    /// <summary>The number of clusters.</summary>
    public required int K { get; init; }

    /// <summary>Independent k-means++ starts; the one with the lowest inertia wins.</summary>
    public int Inits { get; init; } = 10;

    public int MaxIterations { get; init; } = 300;

    /// <summary>Lloyd stops when the centres' total squared shift is below this fraction of the data's mean per-dimension variance.</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Every random choice derives from this seed, so a run is repeatable (and independent of the thread count).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Use mini-batch k-means (Sculley 2010) instead of Lloyd: null decides by size (from <see cref="MiniBatchAbove"/> points).</summary>
    public bool? MiniBatch { get; init; }

    /// <summary>The number of points from which mini-batch k-means is used when <see cref="MiniBatch"/> is null.</summary>
    public int MiniBatchAbove { get; init; } = 200_000;

    public int BatchSize { get; init; } = 1024;

    /// <summary>Threads for the distance work; null for every processor.</summary>
    public int? Threads { get; init; }
}
