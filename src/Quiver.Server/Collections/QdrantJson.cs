using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Quiver.Server.Http;
using Quiver.Store.Collections;

namespace Quiver.Server.Collections;

/// <summary>Qdrant's response envelope and record shapes, and its with_payload selector.</summary>
internal static class QdrantJson
{
    public static IResult Ok(HttpContext context, JsonNode? result) =>
        Results.Text(
            new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = ErrorResponses.Elapsed(context) }.ToJsonString(),
            "application/json");

    public static JsonObject Operation(long operationId) => new() { ["operation_id"] = operationId, ["status"] = "completed" };

    public static JsonNode Id(string id) => PointIds.ToJson(id);

    /// <summary>A point as Qdrant's Record: id, payload (null unless asked for), vector (null unless asked for); Quiver adds its text.</summary>
    public static JsonObject Record(Point point, PayloadSelector payload, bool withVector, float? score = null)
    {
        var record = new JsonObject { ["id"] = Id(point.Id) };
        if (score is { } s)
        {
            record["version"] = 0;
            record["score"] = s;
        }

        record["payload"] = payload.Apply(point.Payload);
        record["vector"] = withVector && point.Vector.Length > 0 ? new JsonArray([.. point.Vector.Select(v => (JsonNode)v)]) : null;
        if (point.Text is not null && payload.Any)
        {
            record["text"] = point.Text;
        }

        return record;
    }
}

/// <summary>Which payload fields a response carries: with_payload as a boolean, a list of keys, or include / exclude.</summary>
internal sealed record PayloadSelector(bool Any, IReadOnlySet<string>? Include, IReadOnlySet<string>? Exclude)
{
    public static readonly PayloadSelector All = new(true, null, null);
    public static readonly PayloadSelector None = new(false, null, null);

    /// <summary>A request's with_payload (at <paramref name="path"/>); <paramref name="fallback"/> says whether none means all.</summary>
    public static PayloadSelector Parse(JsonNode? node, string path, bool fallback)
    {
        switch (node?.GetValueKind())
        {
            case null:
                return fallback ? All : None;
            case JsonValueKind.True:
                return All;
            case JsonValueKind.False:
                return None;
            case JsonValueKind.Array:
                return new PayloadSelector(true, Keys(node, path), null);
            case JsonValueKind.Object:
                var selector = node.AsObject();
                return new PayloadSelector(
                    true,
                    selector["include"] is { } include ? Keys(include, path + ".include") : null,
                    selector["exclude"] is { } exclude ? Keys(exclude, path + ".exclude") : null);
            default:
                throw JsonFields.Wrong(path, "true, false, a list of keys or {include|exclude: [keys]}", node);
        }
    }

    public JsonObject? Apply(JsonObject? payload)
    {
        if (!Any)
        {
            return null;
        }

        payload ??= [];
        var copy = new JsonObject();
        foreach (var (key, value) in payload)
        {
            if ((Include is null || Include.Contains(key)) && (Exclude is null || !Exclude.Contains(key)))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }

    private static HashSet<string> Keys(JsonNode node, string path) =>
        node is JsonArray array
            ? [.. array.Select((k, i) => k?.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : throw JsonFields.Wrong($"{path}[{i}]", "a payload key", k))]
            : throw JsonFields.Wrong(path, "an array of payload keys", node);
}
