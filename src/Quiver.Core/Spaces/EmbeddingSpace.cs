using System.Text.Json.Serialization;
using Quiver.Core.Distances;

namespace Quiver.Core.Spaces;

/// <summary>
/// The identity of the vectors a model produces: which model, variant and exact revision (<see cref="Model"/>), how
/// many dimensions, how they are compared, and whether they are unit length. Vectors from two different spaces are
/// not comparable, even when their dimensions agree.
/// </summary>
[JsonConverter(typeof(EmbeddingSpaceJsonConverter))]
public sealed record EmbeddingSpace(ModelReference Model, int Dimensions, DistanceMetric Metric, bool Normalized)
{
    /// <summary>A space for vectors the caller brings without a model (raw vectors).</summary>
    public static EmbeddingSpace Raw(int dimensions, DistanceMetric metric) =>
        new(ModelReference.Raw, dimensions, metric, Normalized: false);

    public bool IsRaw => Model.IsRaw;

    /// <summary>The model and variant as one string (<see cref="ModelReference.Id"/>), for display and the wire.</summary>
    public string ModelId => Model.Id;

    /// <summary>The model's revision (<see cref="ModelReference.Revision"/>).</summary>
    public string Revision => Model.Revision;

    /// <summary>
    /// The text put before each document when its vector was made (the model's document prompt), null for none. A
    /// prompt the model itself names is part of how the model is used, not a new space: it is recorded here, beside
    /// the identity, so a collection knows which prompts its vectors were made with.
    /// </summary>
    public string? DocumentPrompt { get; init; }

    /// <summary>The text put before each query in this space (e.g. arctic-embed's "Represent this sentence for searching relevant passages: "), null for none.</summary>
    public string? QueryPrompt { get; init; }

    public string? PromptFor(TextRole role) => role == TextRole.Query ? QueryPrompt : DocumentPrompt;

    /// <summary>Whether vectors from <paramref name="other"/> can be stored beside or compared with vectors of this space.</summary>
    public bool Accepts(EmbeddingSpace other) =>
        Dimensions == other.Dimensions && (IsRaw || Model == other.Model);

    /// <summary>Throws <see cref="EmbeddingSpaceMismatchException"/>, naming both spaces, when <paramref name="other"/> is not accepted.</summary>
    public void EnsureAccepts(EmbeddingSpace other, string context)
    {
        if (!Accepts(other))
        {
            throw new EmbeddingSpaceMismatchException(this, other, context);
        }
    }

    /// <summary>As <see cref="EnsureAccepts(EmbeddingSpace, string)"/>, with the caller's own advice (<paramref name="remedy"/>) in the message.</summary>
    public void EnsureAccepts(EmbeddingSpace other, string context, string remedy)
    {
        if (!Accepts(other))
        {
            throw new EmbeddingSpaceMismatchException(this, other, context, remedy);
        }
    }

    public override string ToString() =>
        $"{Model} ({Dimensions}-d, {Metric.ToString().ToLowerInvariant()}{(Normalized ? ", normalised" : string.Empty)})";
}
