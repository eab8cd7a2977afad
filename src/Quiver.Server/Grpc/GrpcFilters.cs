using System.Text.Json.Nodes;
using Quiver.Server.Collections;
using Quiver.Server.Http;
using Quiver.Store.Filtering;
using Q = Qdrant.Client.Grpc;

namespace Quiver.Server.Grpc;

/// <summary>
/// Qdrant's Filter message as the filter JSON of Qdrant's REST API, read by <see cref="QdrantFilters"/>: one reader, so
/// gRPC filters accept, evaluate and refuse exactly what REST filters do, with the same messages.
/// </summary>
internal static class GrpcFilters
{
    public static PayloadFilter? Parse(Q.Filter? filter, string path) => filter is null ? null : QdrantFilters.Parse(ToJson(filter, path), path);

    private static JsonObject ToJson(Q.Filter filter, string path)
    {
        var json = new JsonObject();
        if (filter.Must.Count > 0)
        {
            json["must"] = Conditions(filter.Must, $"{path}.must");
        }

        if (filter.Should.Count > 0)
        {
            json["should"] = Conditions(filter.Should, $"{path}.should");
        }

        if (filter.MustNot.Count > 0)
        {
            json["must_not"] = Conditions(filter.MustNot, $"{path}.must_not");
        }

        if (filter.MinShould is not null)
        {
            json["min_should"] = new JsonObject();
        }

        return json;
    }

    private static JsonArray Conditions(IEnumerable<Q.Condition> conditions, string path) =>
        new([.. conditions.Select((c, i) => (JsonNode)Condition(c, $"{path}[{i}]"))]);

    private static JsonObject Condition(Q.Condition condition, string path) => condition.ConditionOneOfCase switch
    {
        Q.Condition.ConditionOneOfOneofCase.Field => Field(condition.Field, path),
        Q.Condition.ConditionOneOfOneofCase.IsEmpty => new JsonObject { ["is_empty"] = new JsonObject { ["key"] = condition.IsEmpty.Key } },
        Q.Condition.ConditionOneOfOneofCase.IsNull => new JsonObject { ["is_null"] = new JsonObject { ["key"] = condition.IsNull.Key } },
        Q.Condition.ConditionOneOfOneofCase.Filter => Nested(ToJson(condition.Filter, path)),
        Q.Condition.ConditionOneOfOneofCase.HasId => new JsonObject { ["has_id"] = new JsonArray() },
        Q.Condition.ConditionOneOfOneofCase.Nested => new JsonObject { ["nested"] = new JsonObject() },
        Q.Condition.ConditionOneOfOneofCase.HasVector => new JsonObject { ["has_vector"] = "" },
        Q.Condition.ConditionOneOfOneofCase.Slice => throw ApiException.BadRequest("the 'slice' condition is not supported by Quiver; filter on payload fields with match or range.", path),
        _ => throw ApiException.BadRequest("is a condition with nothing set: give a field condition (match or range), is_empty, is_null or a nested filter.", path),
    };

    // A nested filter with no clauses still has to read as one, not as a field condition without a key.
    private static JsonObject Nested(JsonObject filter) => filter.Count > 0 ? filter : new JsonObject { ["must"] = new JsonArray() };

    private static JsonObject Field(Q.FieldCondition field, string path)
    {
        if (field.HasIsEmpty && field.IsEmpty)
        {
            return new JsonObject { ["is_empty"] = new JsonObject { ["key"] = field.Key } };
        }

        if (field.HasIsNull && field.IsNull)
        {
            return new JsonObject { ["is_null"] = new JsonObject { ["key"] = field.Key } };
        }

        var json = new JsonObject { ["key"] = field.Key };
        if (field.Match is { } match)
        {
            json["match"] = Match(match, $"{path}.match");
        }

        if (field.Range is { } range)
        {
            var bounds = new JsonObject();
            if (range.HasGt)
            {
                bounds["gt"] = range.Gt;
            }

            if (range.HasGte)
            {
                bounds["gte"] = range.Gte;
            }

            if (range.HasLt)
            {
                bounds["lt"] = range.Lt;
            }

            if (range.HasLte)
            {
                bounds["lte"] = range.Lte;
            }

            json["range"] = bounds;
        }

        if (field.GeoBoundingBox is not null)
        {
            json["geo_bounding_box"] = new JsonObject();
        }

        if (field.GeoRadius is not null)
        {
            json["geo_radius"] = new JsonObject();
        }

        if (field.GeoPolygon is not null)
        {
            json["geo_polygon"] = new JsonObject();
        }

        if (field.ValuesCount is not null)
        {
            json["values_count"] = new JsonObject();
        }

        if (field.DatetimeRange is not null)
        {
            throw ApiException.BadRequest("datetime ranges are not supported by Quiver; store the time as a number (e.g. Unix seconds) and use range.", $"{path}.datetime_range");
        }

        return json;
    }

    private static JsonObject Match(Q.Match match, string path) => match.MatchValueCase switch
    {
        Q.Match.MatchValueOneofCase.Keyword => new JsonObject { ["value"] = match.Keyword },
        Q.Match.MatchValueOneofCase.Integer => new JsonObject { ["value"] = match.Integer },
        Q.Match.MatchValueOneofCase.Boolean => new JsonObject { ["value"] = match.Boolean },
        Q.Match.MatchValueOneofCase.Keywords => new JsonObject { ["any"] = new JsonArray([.. match.Keywords.Strings.Select(s => (JsonNode)s)]) },
        Q.Match.MatchValueOneofCase.Integers => new JsonObject { ["any"] = new JsonArray([.. match.Integers.Integers.Select(i => (JsonNode)i)]) },
        Q.Match.MatchValueOneofCase.ExceptKeywords => new JsonObject { ["except"] = new JsonArray([.. match.ExceptKeywords.Strings.Select(s => (JsonNode)s)]) },
        Q.Match.MatchValueOneofCase.ExceptIntegers => new JsonObject { ["except"] = new JsonArray([.. match.ExceptIntegers.Integers.Select(i => (JsonNode)i)]) },
        Q.Match.MatchValueOneofCase.Text or Q.Match.MatchValueOneofCase.TextAny or Q.Match.MatchValueOneofCase.Prefix or Q.Match.MatchValueOneofCase.Substring => new JsonObject { ["text"] = "" },
        Q.Match.MatchValueOneofCase.Phrase => new JsonObject { ["phrase"] = "" },
        _ => throw ApiException.BadRequest("needs value, any or except.", path),
    };
}
