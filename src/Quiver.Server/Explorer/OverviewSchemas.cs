using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Quiver.Server.Explorer;

// The wire shapes of the explorer's listings: a collection's overview and the installed models.

internal sealed class CollectionOverview
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("points")]
    public required long Points { get; init; }

    [JsonPropertyName("model")]
    [Description("The model whose vectors the collection holds; null for raw vectors.")]
    public string? Model { get; init; }

    [JsonPropertyName("space")]
    public required SpaceDescription Space { get; init; }

    [JsonPropertyName("sequence")]
    [Description("The sequence number of the collection's last change.")]
    public required long Sequence { get; init; }

    [JsonPropertyName("database_bytes")]
    [Description("Bytes of the SQLite database and its write-ahead log.")]
    public required long DatabaseBytes { get; init; }

    [JsonPropertyName("index")]
    public required IndexOverview Index { get; init; }

    [JsonPropertyName("payload_fields")]
    [Description("The top-level payload keys of the collection's first 200 points, sorted.")]
    public required string[] PayloadFields { get; init; }

    [JsonPropertyName("has_text")]
    [Description("Whether points carry text, so keyword and hybrid search have something to match.")]
    public required bool HasText { get; init; }

    [JsonPropertyName("max_points_per_request")]
    [Description("The most points this server maps, clusters or scores in one request; a larger collection is sampled.")]
    public required int MaxPointsPerRequest { get; init; }
}

internal sealed class SpaceDescription
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("revision")]
    public required string Revision { get; init; }

    [JsonPropertyName("dimensions")]
    public required int Dimensions { get; init; }

    [JsonPropertyName("distance")]
    [Description("Cosine, Dot or Euclid.")]
    public required string Distance { get; init; }

    [JsonPropertyName("normalized")]
    public required bool Normalized { get; init; }

    [JsonPropertyName("description")]
    [Description("The space in one line, as quiver inspect prints it.")]
    public required string Description { get; init; }
}

internal sealed class IndexOverview
{
    [JsonPropertyName("kind")]
    [Description("hnsw or flat.")]
    public required string Kind { get; init; }

    [JsonPropertyName("graph_in_use")]
    [Description("Whether searches walk the HNSW graph (false: an exact scan, for small collections).")]
    public required bool GraphInUse { get; init; }

    [JsonPropertyName("live_points")]
    public required int LivePoints { get; init; }

    [JsonPropertyName("tombstones")]
    public required int Tombstones { get; init; }

    [JsonPropertyName("memory_bytes")]
    public required long MemoryBytes { get; init; }

    [JsonPropertyName("bytes_per_vector")]
    public required double BytesPerVector { get; init; }

    [JsonPropertyName("quantization")]
    public required string Quantization { get; init; }

    [JsonPropertyName("index_sequence")]
    public required long IndexSequence { get; init; }

    [JsonPropertyName("snapshot_sequence")]
    public required long SnapshotSequence { get; init; }
}

internal sealed class InstalledModelList
{
    [JsonPropertyName("models")]
    public required InstalledModel[] Models { get; init; }
}

internal sealed class InstalledModel
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("dimensions")]
    public required int Dimensions { get; init; }

    [JsonPropertyName("revision")]
    public required string Revision { get; init; }

    [JsonPropertyName("description")]
    public required string Description { get; init; }

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    [JsonPropertyName("license")]
    public required string License { get; init; }

    [JsonPropertyName("words")]
    [Description("Vocabulary size of a word-vector model; 0 otherwise.")]
    public required int Words { get; init; }

    [JsonPropertyName("installed_at")]
    public required string InstalledAt { get; init; }

    [JsonPropertyName("default")]
    [Description("Whether requests that name no model use this one.")]
    public required bool Default { get; init; }

    [JsonPropertyName("collections")]
    [Description("The collections holding this model's vectors.")]
    public required string[] Collections { get; init; }
}
