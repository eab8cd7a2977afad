using System.ComponentModel;
using System.Text.Json.Serialization;
using Quiver.Server.Operations;

namespace Quiver.Server.Collections;

// Qdrant's filter JSON as QdrantFilters reads it, for the OpenAPI document; a request keeps a filter as its JSON.

[Description("Qdrant's filter: every must condition, at least one should condition, and no must_not condition.")]
internal sealed class Filter
{
    /// <summary>The filter as the request gave it, read by <see cref="QdrantFilters"/> with the paths of its conditions.</summary>
    [JsonIgnore]
    public System.Text.Json.Nodes.JsonNode? Json { get; init; }

    [JsonPropertyName("must")]
    public FilterCondition[]? Must { get; init; }

    [JsonPropertyName("should")]
    public FilterCondition[]? Should { get; init; }

    [JsonPropertyName("must_not")]
    public FilterCondition[]? MustNot { get; init; }
}

[Description("A field condition (key with match or range), is_empty, is_null, or a nested filter (must / should / must_not). Geo, values_count, has_id, nested-array and full-text conditions are refused by name.")]
internal sealed class FilterCondition
{
    [JsonPropertyName("key")]
    [Description("The payload field of a match or range condition.")]
    public string? Key { get; init; }

    [JsonPropertyName("match")]
    public Match? Match { get; init; }

    [JsonPropertyName("range")]
    public RangeBounds? Range { get; init; }

    [JsonPropertyName("is_empty")]
    [Description("Matches points whose field is missing, null or an empty array.")]
    public FieldKey? IsEmpty { get; init; }

    [JsonPropertyName("is_null")]
    [Description("Matches points whose field is null.")]
    public FieldKey? IsNull { get; init; }

    [JsonPropertyName("must")]
    public FilterCondition[]? Must { get; init; }

    [JsonPropertyName("should")]
    public FilterCondition[]? Should { get; init; }

    [JsonPropertyName("must_not")]
    public FilterCondition[]? MustNot { get; init; }
}

[Description("One of value (equal), any (equal to one of) or except (equal to none of).")]
internal sealed class Match
{
    [JsonPropertyName("value")]
    public MatchValue? Value { get; init; }

    [JsonPropertyName("any")]
    public MatchValue[]? Any { get; init; }

    [JsonPropertyName("except")]
    public MatchValue[]? Except { get; init; }
}

[Union(typeof(string), typeof(double), typeof(bool))]
[Description("A string, number or boolean.")]
internal sealed class MatchValue;

[Description("Numeric bounds; give any of them.")]
internal sealed class RangeBounds
{
    [JsonPropertyName("gt")]
    public double? Gt { get; init; }

    [JsonPropertyName("gte")]
    public double? Gte { get; init; }

    [JsonPropertyName("lt")]
    public double? Lt { get; init; }

    [JsonPropertyName("lte")]
    public double? Lte { get; init; }
}

internal sealed class FieldKey
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }
}
