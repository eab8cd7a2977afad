using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Operations;

namespace Quiver.Server.Collections;

// The wire shapes of the Qdrant-compatible collection routes: the OpenAPI document shows them, and requests are read
// into them (RequestBody; vectors and a field schema by the readers RequestTypes adds). Answers are written by hand
// (QdrantJson) to keep Qdrant's exact shapes; the tests hold the two together.

[Description("Qdrant's answer envelope.")]
internal sealed class QdrantResponse<T>
{
    [JsonPropertyName("result")]
    public required T Result { get; init; }

    [JsonPropertyName("status")]
    [Description("Always \"ok\".")]
    public required string Status { get; init; }

    [JsonPropertyName("time")]
    [Description("Seconds the server spent on the request.")]
    public required double Time { get; init; }
}

internal sealed class CollectionList
{
    [JsonPropertyName("collections")]
    public required CollectionName[] Collections { get; init; }
}

internal sealed class CollectionName
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }
}

[Description("Qdrant's create-collection request. Give vectors (size and distance) for a collection of raw vectors, or Quiver's model to bind it to an installed text model so points and queries can be text (vectors may then be left out, or must agree with the model).")]
internal sealed class CreateCollectionRequest
{
    [JsonPropertyName("vectors")]
    public VectorParams? Vectors { get; init; }

    [JsonPropertyName("model")]
    [Description("Quiver's extension: an installed text model whose space the collection takes (dimensions, distance, prompts).")]
    public string? Model { get; init; }

    [JsonPropertyName("hnsw_config")]
    public HnswConfigRequest? HnswConfig { get; init; }
}

[Description("One unnamed vector per point (named vectors are refused).")]
internal sealed class VectorParams
{
    [JsonPropertyName("size")]
    [Range(1, 65_536)]
    public required int Size { get; init; }

    [JsonPropertyName("distance")]
    public required DistanceName Distance { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<DistanceName>))]
[Description("How vectors are compared (Manhattan is refused).")]
internal enum DistanceName
{
    Cosine,
    Dot,
    Euclid,
}

[Description("HNSW graph parameters; absent ones keep Quiver's defaults.")]
internal sealed class HnswConfigRequest
{
    [JsonPropertyName("m")]
    [Range(2, 128)]
    [Description("Links per node.")]
    public int? M { get; init; }

    [JsonPropertyName("ef_construct")]
    [Range(4, 4096)]
    [Description("Candidates kept while building.")]
    public int? EfConstruct { get; init; }
}

[Description("Qdrant's collection info, with Quiver's model binding under quiver.")]
internal sealed class CollectionDescription
{
    [JsonPropertyName("status")]
    [Description("Always \"green\".")]
    public required string Status { get; init; }

    [JsonPropertyName("optimizer_status")]
    [Description("Always \"ok\".")]
    public required string OptimizerStatus { get; init; }

    [JsonPropertyName("vectors_count")]
    public required long VectorsCount { get; init; }

    [JsonPropertyName("indexed_vectors_count")]
    public required long IndexedVectorsCount { get; init; }

    [JsonPropertyName("points_count")]
    public required long PointsCount { get; init; }

    [JsonPropertyName("segments_count")]
    public required int SegmentsCount { get; init; }

    [JsonPropertyName("config")]
    public required CollectionConfig Config { get; init; }

    [JsonPropertyName("payload_schema")]
    [Description("The payload indexes, by field.")]
    public required Dictionary<string, PayloadIndexInfo> PayloadSchema { get; init; }

    [JsonPropertyName("quiver")]
    public required CollectionBinding Quiver { get; init; }
}

internal sealed class CollectionConfig
{
    [JsonPropertyName("params")]
    public required CollectionParams Params { get; init; }

    [JsonPropertyName("hnsw_config")]
    public required HnswConfig HnswConfig { get; init; }

    [JsonPropertyName("optimizer_config")]
    [Description("Always empty: Quiver has no optimizer settings.")]
    public required Dictionary<string, JsonNode?> OptimizerConfig { get; init; }

    [JsonPropertyName("wal_config")]
    [Description("Always empty: SQLite's write-ahead log has no settings here.")]
    public required Dictionary<string, JsonNode?> WalConfig { get; init; }

    [JsonPropertyName("quantization_config")]
    [Description("Always null.")]
    public required Dictionary<string, JsonNode?>? QuantizationConfig { get; init; }
}

internal sealed class CollectionParams
{
    [JsonPropertyName("vectors")]
    public required VectorParams Vectors { get; init; }

    [JsonPropertyName("shard_number")]
    public required int ShardNumber { get; init; }

    [JsonPropertyName("replication_factor")]
    public required int ReplicationFactor { get; init; }

    [JsonPropertyName("write_consistency_factor")]
    public required int WriteConsistencyFactor { get; init; }

    [JsonPropertyName("on_disk_payload")]
    public required bool OnDiskPayload { get; init; }
}

internal sealed class HnswConfig
{
    [JsonPropertyName("m")]
    public required int M { get; init; }

    [JsonPropertyName("ef_construct")]
    public required int EfConstruct { get; init; }

    [JsonPropertyName("full_scan_threshold")]
    [Description("Below this many points a search is exact.")]
    public required int FullScanThreshold { get; init; }
}

internal sealed class PayloadIndexInfo
{
    [JsonPropertyName("data_type")]
    [Description("keyword, integer or float.")]
    public required string DataType { get; init; }
}

[Description("Quiver's extension: the embedding space the collection is bound to.")]
internal sealed class CollectionBinding
{
    [JsonPropertyName("model")]
    [Description("The text model that embeds its text, or null for raw vectors.")]
    public required string? Model { get; init; }

    [JsonPropertyName("revision")]
    [Description("The model's content hash (\"raw\"'s for raw vectors).")]
    public required string Revision { get; init; }

    [JsonPropertyName("sequence")]
    [Description("The sequence number of the last write.")]
    public required long Sequence { get; init; }
}

internal sealed class CollectionExistence
{
    [JsonPropertyName("exists")]
    public required bool Exists { get; init; }
}

[Description("Qdrant's create-field-index request: a SQLite index on one payload field, for fast filters.")]
internal sealed class CreateFieldIndexRequest
{
    [JsonPropertyName("field_name")]
    [Description("The payload field to index.")]
    public required string FieldName { get; init; }

    [JsonPropertyName("field_schema")]
    public required FieldSchema FieldSchema { get; init; }
}

[Union(typeof(PayloadFieldType), typeof(FieldSchemaParams))]
[Description("The field's type, as a name or as {\"type\": name}; bool and uuid are indexed as keyword.")]
internal sealed class FieldSchema
{
    /// <summary>The type's name in either form, checked by <see cref="CollectionSettings.IndexKind"/> (<see cref="FieldSchemaReader"/>).</summary>
    [JsonIgnore]
    public string? Type { get; init; }
}

internal sealed class FieldSchemaParams
{
    [JsonPropertyName("type")]
    public required PayloadFieldType Type { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<PayloadFieldType>))]
internal enum PayloadFieldType
{
    [JsonStringEnumMemberName("keyword")]
    Keyword,

    [JsonStringEnumMemberName("integer")]
    Integer,

    [JsonStringEnumMemberName("float")]
    Float,

    [JsonStringEnumMemberName("bool")]
    Bool,

    [JsonStringEnumMemberName("uuid")]
    Uuid,
}

[Description("Qdrant's answer to a write: committed to SQLite before the answer.")]
internal sealed class UpdateResult
{
    [JsonPropertyName("operation_id")]
    [Description("The collection's sequence number after the write.")]
    public required long OperationId { get; init; }

    [JsonPropertyName("status")]
    [Description("Always \"completed\".")]
    public required string Status { get; init; }
}
