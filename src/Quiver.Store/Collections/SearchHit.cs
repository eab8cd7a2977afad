using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Quiver.Store.Collections;

/// <summary>
/// A search result: the point's id, its score (a similarity for cosine and dot, higher is closer; a distance for
/// Euclidean, lower is closer), its payload and text, and its stored vector when the search asked for it.
/// </summary>
public sealed record SearchHit(string Id, float Score, JsonObject? Payload, string? Text)
{
    /// <summary>The point's stored vector (unit length in a cosine collection); null unless the request asked for vectors.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Vector { get; init; }
}
