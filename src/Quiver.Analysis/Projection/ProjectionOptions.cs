namespace Quiver.Analysis.Projection;

/// <summary>
/// What <see cref="Projector.Project"/> computes. The seed fixes every random choice, so the same vectors and the same
/// options give the same coordinates on any number of threads.
/// </summary>
public sealed record ProjectionOptions
{
    public ProjectionMethod Method { get; init; } = ProjectionMethod.Umap;

    /// <summary>2 or 3.</summary>
    public int Dimensions { get; init; } = 2;

    public int Seed { get; init; } = 42;

    public TsneOptions Tsne { get; init; } = new();

    public UmapOptions Umap { get; init; } = new();
}
