using System.Text.Json.Serialization;

namespace Quiver.Server.Cluster;

// The create request a distributed collection is made from, read typed (RequestBody over RequestJsonContext). Every
// field is nullable so that a missing one is told apart from a zero and refused by the route in its own words.

/// <summary>Qdrant's create-collection request with its sharding fields, as cluster mode reads it.</summary>
internal sealed class DistributedCreateRequest
{
    [JsonPropertyName("vectors")]
    public DistributedVectorParams? Vectors { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("shard_number")]
    public long? ShardNumber { get; init; }

    [JsonPropertyName("replication_factor")]
    public long? ReplicationFactor { get; init; }
}

/// <summary>The vectors' size and distance of a distributed collection (both may be left out when a model is given).</summary>
internal sealed class DistributedVectorParams
{
    [JsonPropertyName("size")]
    public long? Size { get; init; }

    [JsonPropertyName("distance")]
    public string? Distance { get; init; }
}
