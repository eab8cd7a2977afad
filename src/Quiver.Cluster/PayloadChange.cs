using System.Text.Json.Nodes;
using Quiver.Core;

namespace Quiver.Cluster;

/// <summary>
/// A payload edit of Qdrant's kinds (set keys, overwrite, delete keys, clear) as it travels to a shard's primary. The
/// primary applies it to the points it holds and logs the resulting whole points, so followers and catch-up replay
/// the same outcome whatever they held before.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PayloadChange(
    [property: Id(0)] PayloadChangeKind Kind,
    [property: Id(1)] string? Payload,
    [property: Id(2)] string[]? Keys)
{
    /// <summary>Sets these keys, keeping the others.</summary>
    public static PayloadChange Set(JsonObject payload) => new(PayloadChangeKind.Set, Json(payload), null);

    /// <summary>Replaces the whole payload with this one.</summary>
    public static PayloadChange Overwrite(JsonObject payload) => new(PayloadChangeKind.Overwrite, Json(payload), null);

    /// <summary>Removes these keys (a key a point lacks is skipped).</summary>
    public static PayloadChange DeleteKeys(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new(PayloadChangeKind.DeleteKeys, null, [.. keys]);
    }

    /// <summary>Removes the whole payload.</summary>
    public static PayloadChange Clear() => new(PayloadChangeKind.Clear, null, null);

    /// <summary>The payload a point has after this change, given the one it has now (null: none).</summary>
    public JsonObject? Apply(JsonObject? current)
    {
        switch (Kind)
        {
            case PayloadChangeKind.Set:
                var merged = (JsonObject?)current?.DeepClone() ?? [];
                foreach (var (key, value) in Given())
                {
                    merged[key] = value?.DeepClone();
                }

                return merged;
            case PayloadChangeKind.Overwrite:
                return Given();
            case PayloadChangeKind.DeleteKeys:
                if (current is null)
                {
                    return null;
                }

                var trimmed = (JsonObject)current.DeepClone();
                foreach (var key in Keys ?? [])
                {
                    trimmed.Remove(key);
                }

                return trimmed;
            case PayloadChangeKind.Clear:
                return null;
            default:
                throw new QuiverException($"The payload change '{Kind}' is not one Quiver knows: use Set, Overwrite, DeleteKeys or Clear.");
        }
    }

    private JsonObject Given() =>
        Payload is not null && JsonNode.Parse(Payload) is JsonObject payload
            ? payload
            : throw new QuiverException($"A payload change of kind {Kind} needs a payload object; give one.");

    private static string Json(JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload.ToJsonString();
    }
}
