namespace Quiver.Analysis.Classification;

/// <summary>How <see cref="LogisticRegression"/> fits.</summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>Inverse strength of the L2 penalty, as scikit-learn's <c>C</c>: smaller is stronger.</summary>
    public double C { get; init; } = 1.0;

    /// <summary>Stop when no component of the (mean) objective's gradient is larger than this.</summary>
    public double Tolerance { get; init; } = 1e-6;

    public int MaxIterations { get; init; } = 1000;

    /// <summary>Threads computing the objective; the result is the same for any number.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
