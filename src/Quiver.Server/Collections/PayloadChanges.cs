using System.Text.Json.Nodes;

namespace Quiver.Server.Collections;

/// <summary>Qdrant's payload edits as changes of one point's payload, for REST and gRPC alike.</summary>
internal static class PayloadChanges
{
    /// <summary>Sets the given keys, keeping the others.</summary>
    public static Func<JsonObject?, JsonObject?> Merge(JsonObject payload) => current =>
    {
        var merged = (JsonObject?)current?.DeepClone() ?? [];
        foreach (var (key, value) in payload)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    };

    /// <summary>Replaces the whole payload.</summary>
    public static Func<JsonObject?, JsonObject?> Overwrite(JsonObject payload) => _ => (JsonObject)payload.DeepClone();

    public static Func<JsonObject?, JsonObject?> DeleteKeys(IReadOnlyList<string> keys) => current =>
    {
        if (current is null)
        {
            return null;
        }

        var trimmed = (JsonObject)current.DeepClone();
        foreach (var key in keys)
        {
            trimmed.Remove(key);
        }

        return trimmed;
    };

    public static Func<JsonObject?, JsonObject?> Clear() => _ => null;
}
