namespace Quiver.Analysis.Outliers;

/// <summary>How a point's outlier score is computed from its k nearest neighbours.</summary>
public enum OutlierMethod
{
    /// <summary>
    /// Local outlier factor (Breunig et al. 2000): how much sparser a point's neighbourhood is than its neighbours'
    /// neighbourhoods. About 1 inside a cluster of any density; well above 1 for an outlier.
    /// </summary>
    Lof,

    /// <summary>The mean distance to the k nearest neighbours: large far from everything, but it also rates the points of a sparse cluster high.</summary>
    KnnDistance,
}
