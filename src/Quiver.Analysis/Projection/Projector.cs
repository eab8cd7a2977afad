namespace Quiver.Analysis.Projection;

/// <summary>Maps vectors to 2-D or 3-D with the method the options name.</summary>
public static class Projector
{
    public static ProjectionResult Project(
        IReadOnlyList<float[]> vectors,
        ProjectionOptions options,
        IProgress<ProjectionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Tsne.CheckDimensions(options.Dimensions);
        switch (options.Method)
        {
            case ProjectionMethod.Pca:
                ProjectionInput.Check(vectors, 2, "PCA");
                if (vectors[0].Length < options.Dimensions)
                {
                    throw new Core.QuiverException(
                        $"PCA to {options.Dimensions} dimensions needs vectors of at least {options.Dimensions}; these have {vectors[0].Length}.");
                }

                var model = Pca.Fit(vectors, options.Dimensions, cancellationToken);
                return new ProjectionResult(ProjectionMethod.Pca, options.Dimensions, model.Transform(vectors))
                {
                    ExplainedVarianceRatio = model.ExplainedVarianceRatio,
                };
            case ProjectionMethod.Tsne:
                return new ProjectionResult(
                    ProjectionMethod.Tsne,
                    options.Dimensions,
                    Tsne.Project(vectors, options.Dimensions, options.Tsne, options.Seed, progress, cancellationToken));
            case ProjectionMethod.Umap:
                return new ProjectionResult(
                    ProjectionMethod.Umap,
                    options.Dimensions,
                    Umap.Project(vectors, options.Dimensions, options.Umap, options.Seed, progress, cancellationToken));
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Method, "Unknown projection method; use Pca, Umap or Tsne.");
        }
    }
}
