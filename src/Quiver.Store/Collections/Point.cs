using System.Text.Json.Nodes;

namespace Quiver.Store.Collections;

/// <summary>A stored vector with its id, optional JSON payload and optional source text.</summary>
public sealed record Point(string Id, float[] Vector, JsonObject? Payload = null, string? Text = null);
