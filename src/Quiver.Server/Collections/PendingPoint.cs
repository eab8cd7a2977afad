using System.Text.Json.Nodes;

namespace Quiver.Server.Collections;

/// <summary>A point of an upsert as the request gave it: a vector, or a text the collection's model embeds.</summary>
internal sealed record PendingPoint(string Id, float[]? Vector, string? Text, JsonObject? Payload);
