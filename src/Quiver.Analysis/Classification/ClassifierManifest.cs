using Quiver.Core.Spaces;

namespace Quiver.Analysis.Classification;

/// <summary>
/// What <c>classifier.json</c> in a saved classifier's folder records: how it decides, its classes, the embedding
/// space (and the installed model) its training vectors came from, and the weights file with its SHA-256.
/// </summary>
public sealed record ClassifierManifest
{
    public const string FileName = "classifier.json";

    public required string Name { get; init; }

    public required ClassifierMethod Method { get; init; }

    /// <summary>The installed model that embeds texts for it.</summary>
    public required string Model { get; init; }

    /// <summary>The pooling asked of a word-vector model (null for the model's default).</summary>
    public string? Pooling { get; init; }

    /// <summary>The space of the training vectors; vectors of any other space are refused.</summary>
    public required EmbeddingSpace Space { get; init; }

    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Training rows per class, in class order.</summary>
    public required IReadOnlyList<int> ClassCounts { get; init; }

    /// <summary>The L2 penalty's C (logistic regression).</summary>
    public double? C { get; init; }

    /// <summary>Neighbours that vote (kNN).</summary>
    public int? K { get; init; }

    /// <summary>For kNN, the class of each stored training row, in the weights file's row order.</summary>
    public IReadOnlyList<int>? RowLabels { get; init; }

    /// <summary>What it was trained on, in words (the file's name).</summary>
    public string? Source { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The weights file in the folder (a float32 .npy matrix).</summary>
    public string Weights { get; init; } = "weights.npy";

    public string WeightsSha256 { get; init; } = string.Empty;
}
