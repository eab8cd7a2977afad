namespace Quiver.Analysis.Projection;

/// <summary>A projection's coordinates, one row per input vector in input order, and how they were made.</summary>
public sealed record ProjectionResult(ProjectionMethod Method, int Dimensions, IReadOnlyList<float[]> Points)
{
    /// <summary>For PCA, each axis's share of the total variance; empty for the other methods.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; init; } = [];
}
