using System.Text.Json.Serialization;

namespace Quiver.Cluster.Replication;

/// <summary>The first line of a log started after a full copy.</summary>
internal sealed record LogBase(long Number, long Epoch)
{
    [JsonPropertyName("base")]
    public bool IsBase => true;
}
