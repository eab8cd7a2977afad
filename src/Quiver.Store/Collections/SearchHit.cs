using System.Text.Json.Nodes;

namespace Quiver.Store.Collections;

/// <summary>
/// A search result: the point's id, its score (a similarity for cosine and dot, higher is closer; a distance for
/// Euclidean, lower is closer), its payload and text.
/// </summary>
public sealed record SearchHit(string Id, float Score, JsonObject? Payload, string? Text);
