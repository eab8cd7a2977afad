using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Store.Filtering;

namespace Quiver.Cluster.Wire;

/// <summary>
/// A payload filter as JSON text, to send between silos (Orleans copies strings; the filter's conditions are a
/// class hierarchy of records holding JSON values). Qdrant's shape: must / should / must_not lists of conditions.
/// </summary>
public static class FilterJson
{
    public static string? Write(PayloadFilter? filter) => filter is null ? null : ToNode(filter).ToJsonString();

    public static PayloadFilter? Read(string? json) => json is null ? null : FromNode(JsonNode.Parse(json)!.AsObject());

    private static JsonObject ToNode(PayloadFilter filter)
    {
        var node = new JsonObject();
        Add(node, "must", filter.Must);
        Add(node, "should", filter.Should);
        Add(node, "must_not", filter.MustNot);
        return node;
    }

    private static void Add(JsonObject node, string name, IReadOnlyList<Condition>? conditions)
    {
        if (conditions is not null)
        {
            node[name] = new JsonArray(conditions.Select(c => (JsonNode)ToNode(c)).ToArray());
        }
    }

    private static JsonObject ToNode(Condition condition) => condition switch
    {
        FieldCondition f => new JsonObject { ["key"] = f.Key, ["match"] = new JsonObject { ["value"] = f.Value.DeepClone() } },
        MatchAnyCondition a => new JsonObject { ["key"] = a.Key, ["match"] = new JsonObject { ["any"] = new JsonArray(a.Values.Select(v => v.DeepClone()).ToArray()) } },
        RangeCondition r => new JsonObject
        {
            ["key"] = r.Key,
            ["range"] = new JsonObject { ["gt"] = r.Gt, ["gte"] = r.Gte, ["lt"] = r.Lt, ["lte"] = r.Lte },
        },
        IsEmptyCondition e => new JsonObject { ["is_empty"] = new JsonObject { ["key"] = e.Key } },
        IsNullCondition n => new JsonObject { ["is_null"] = new JsonObject { ["key"] = n.Key } },
        NestedFilterCondition n => new JsonObject { ["filter"] = ToNode(n.Filter) },
        _ => throw new QuiverException($"The filter condition {condition.GetType().Name} cannot be sent to other silos yet."),
    };

    private static PayloadFilter FromNode(JsonObject node) => new(List(node, "must"), List(node, "should"), List(node, "must_not"));

    private static List<Condition>? List(JsonObject node, string name) =>
        node[name] is JsonArray array ? array.Select(c => FromCondition(c!.AsObject())).ToList() : null;

    private static Condition FromCondition(JsonObject node)
    {
        if (node["filter"] is JsonObject nested)
        {
            return new NestedFilterCondition(FromNode(nested));
        }

        if (node["is_empty"] is JsonObject empty)
        {
            return new IsEmptyCondition((string)empty["key"]!);
        }

        if (node["is_null"] is JsonObject isNull)
        {
            return new IsNullCondition((string)isNull["key"]!);
        }

        var key = (string)node["key"]!;
        if (node["range"] is JsonObject range)
        {
            return new RangeCondition(key, (double?)range["gt"], (double?)range["gte"], (double?)range["lt"], (double?)range["lte"]);
        }

        var match = node["match"]!.AsObject();
        return match["any"] is JsonArray any
            ? new MatchAnyCondition(key, any.Select(v => v!.DeepClone().AsValue()).ToList())
            : new FieldCondition(key, match["value"]!.DeepClone().AsValue());
    }
}
