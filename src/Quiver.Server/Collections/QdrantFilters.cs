using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Server.Http;
using Quiver.Store.Filtering;

namespace Quiver.Server.Collections;

/// <summary>
/// Qdrant's filter JSON as a <see cref="PayloadFilter"/>: must / should / must_not (a condition or an array of them),
/// field conditions with match value / any / except and range, is_empty, is_null and nested filters. Conditions
/// Quiver does not evaluate (full-text match, geo, values_count, has_id, nested arrays) are refused by name.
/// </summary>
internal static class QdrantFilters
{
    public static PayloadFilter? Parse(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject filter)
        {
            throw JsonFields.Wrong(path, "a filter object with must, should or must_not", node);
        }

        foreach (var (key, _) in filter)
        {
            if (key is not ("must" or "should" or "must_not"))
            {
                throw ApiException.BadRequest(
                    key == "min_should" ? "min_should is not supported by Quiver; use should (at least one) or must." : $"'{key}' is not a filter clause; use must, should or must_not.",
                    $"{path}.{key}");
            }
        }

        return new PayloadFilter(
            Clause(filter["must"], $"{path}.must"),
            Clause(filter["should"], $"{path}.should"),
            Clause(filter["must_not"], $"{path}.must_not"));
    }

    private static List<Condition>? Clause(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonArray array => [.. array.Select((c, i) => Condition(c, $"{path}[{i}]"))],
        JsonObject => [Condition(node, path)],
        _ => throw JsonFields.Wrong(path, "a condition or an array of conditions", node),
    };

    private static Condition Condition(JsonNode? node, string path)
    {
        if (node is not JsonObject condition)
        {
            throw JsonFields.Wrong(path, "a condition object", node);
        }

        if (condition.ContainsKey("must") || condition.ContainsKey("should") || condition.ContainsKey("must_not"))
        {
            return new NestedFilterCondition(Parse(condition, path)!);
        }

        if (condition["is_empty"] is { } empty)
        {
            return new IsEmptyCondition(Key(empty as JsonObject ?? throw JsonFields.Wrong($"{path}.is_empty", "an object with a key", empty), $"{path}.is_empty"));
        }

        if (condition["is_null"] is { } isNull)
        {
            return new IsNullCondition(Key(isNull as JsonObject ?? throw JsonFields.Wrong($"{path}.is_null", "an object with a key", isNull), $"{path}.is_null"));
        }

        foreach (var unsupported in new[] { "has_id", "nested", "geo_bounding_box", "geo_radius", "geo_polygon", "values_count", "has_vector" })
        {
            if (condition.ContainsKey(unsupported))
            {
                throw ApiException.BadRequest($"the '{unsupported}' condition is not supported by Quiver; filter on payload fields with match or range.", $"{path}.{unsupported}");
            }
        }

        var key = Key(condition, path);
        if (condition.ContainsKey("match") && condition.ContainsKey("range"))
        {
            // Qdrant reads one of them and ignores the other; say so rather than filter by half the condition.
            throw ApiException.BadRequest("has both match and range; give each in its own condition (both under must to require both).", path);
        }

        if (condition["match"] is { } match)
        {
            if (match is not JsonObject m)
            {
                throw JsonFields.Wrong($"{path}.match", "an object with value, any or except", match);
            }

            if (m["value"] is { } value)
            {
                return new FieldCondition(key, Scalar(value, $"{path}.match.value"));
            }

            if (m["any"] is { } any)
            {
                return new MatchAnyCondition(key, Scalars(any, $"{path}.match.any"));
            }

            if (m["except"] is { } except)
            {
                return new NestedFilterCondition(new PayloadFilter(MustNot: [new MatchAnyCondition(key, Scalars(except, $"{path}.match.except"))]));
            }

            if (m.ContainsKey("text") || m.ContainsKey("phrase"))
            {
                throw ApiException.BadRequest("full-text match is not supported in filters; use match value or any.", $"{path}.match");
            }

            throw ApiException.BadRequest("needs value, any or except.", $"{path}.match");
        }

        if (condition["range"] is { } range)
        {
            if (range is not JsonObject r)
            {
                throw JsonFields.Wrong($"{path}.range", "an object with gt, gte, lt or lte", range);
            }

            foreach (var (bound, _) in r)
            {
                if (bound is not ("gt" or "gte" or "lt" or "lte"))
                {
                    throw ApiException.BadRequest($"'{bound}' is not a range bound; use gt, gte, lt or lte.", $"{path}.range.{bound}");
                }
            }

            return new RangeCondition(
                key,
                JsonFields.Number(r, "gt", $"{path}.range.gt"),
                JsonFields.Number(r, "gte", $"{path}.range.gte"),
                JsonFields.Number(r, "lt", $"{path}.range.lt"),
                JsonFields.Number(r, "lte", $"{path}.range.lte"));
        }

        throw ApiException.BadRequest("a field condition needs match or range (or use is_empty, is_null, or a nested must/should/must_not).", path);
    }

    private static string Key(JsonObject condition, string path)
    {
        var key = JsonFields.String(condition, "key", $"{path}.key");
        return string.IsNullOrEmpty(key) ? throw ApiException.BadRequest("needs a non-empty key naming the payload field.", $"{path}.key") : key;
    }

    private static JsonValue Scalar(JsonNode node, string path) =>
        node.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? (JsonValue)node.DeepClone()
            : throw JsonFields.Wrong(path, "a string, number or boolean", node);

    private static List<JsonValue> Scalars(JsonNode node, string path) =>
        node is JsonArray array
            ? [.. array.Select((v, i) => Scalar(v ?? throw JsonFields.Wrong($"{path}[{i}]", "a string, number or boolean", v), $"{path}[{i}]"))]
            : throw JsonFields.Wrong(path, "an array", node);
}
