using Quiver.Core.Distances;

namespace Quiver.Core.Spaces;

/// <summary>
/// The identity of the vectors a model produces: which model and exact revision (a content hash), how many
/// dimensions, how they are compared, and whether they are unit length. Vectors from two different spaces are not
/// comparable, even when their dimensions agree.
/// </summary>
public sealed record EmbeddingSpace(string ModelId, string Revision, int Dimensions, DistanceMetric Metric, bool Normalized)
{
    /// <summary>A space for vectors the caller brings without a model (raw vectors).</summary>
    public static EmbeddingSpace Raw(int dimensions, DistanceMetric metric) =>
        new("raw", "-", dimensions, metric, Normalized: false);

    public bool IsRaw => ModelId == "raw";

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
        Dimensions == other.Dimensions && (IsRaw || (ModelId == other.ModelId && Revision == other.Revision));

    /// <summary>Throws <see cref="EmbeddingSpaceMismatchException"/>, naming both spaces, when <paramref name="other"/> is not accepted.</summary>
    public void EnsureAccepts(EmbeddingSpace other, string context)
    {
        if (!Accepts(other))
        {
            throw new EmbeddingSpaceMismatchException(this, other, context);
        }
    }

    public override string ToString() =>
        $"{ModelId}@{(Revision.Length > 12 ? Revision[..12] : Revision)} ({Dimensions}-d, {Metric.ToString().ToLowerInvariant()}{(Normalized ? ", normalised" : string.Empty)})";
}
