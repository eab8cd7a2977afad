using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Cluster.Wire;

/// <summary>An embedding space between silos.</summary>
[GenerateSerializer, Immutable]
public sealed record WireSpace(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string Revision,
    [property: Id(2)] int Dimensions,
    [property: Id(3)] DistanceMetric Metric,
    [property: Id(4)] bool Normalized,
    [property: Id(5)] string? DocumentPrompt,
    [property: Id(6)] string? QueryPrompt)
{
    public static WireSpace From(EmbeddingSpace space) =>
        new(space.ModelId, space.Revision, space.Dimensions, space.Metric, space.Normalized, space.DocumentPrompt, space.QueryPrompt);

    // Layouts are saved as JSON on each silo's disk: the model stays in its string form there and is parsed back here.
    public EmbeddingSpace ToSpace() =>
        new(ModelReference.Parse(ModelId, Revision), Dimensions, Metric, Normalized) { DocumentPrompt = DocumentPrompt, QueryPrompt = QueryPrompt };
}
