using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Http;
using Quiver.Server.Operations;

namespace Quiver.Server.Collections;

// The wire shapes of the Qdrant-compatible point routes: the OpenAPI document shows them, and requests are read into
// them (RequestBody; values of several shapes by the readers RequestTypes adds). Answers are written by hand
// (QdrantJson) to keep Qdrant's exact shapes; the tests hold the two together.

[Union(typeof(ulong), typeof(Guid))]
[Description("A point id: an unsigned integer or a UUID string.")]
internal sealed class PointId
{
    /// <summary>The id as Quiver stores it (<see cref="PointIds"/>), read by <see cref="PointIdReader"/>.</summary>
    [JsonIgnore]
    public string Value { get; init; } = "";

    /// <summary>The id as the request wrote it, for answers that quote it.</summary>
    [JsonIgnore]
    public string Shown { get; init; } = "";
}

[Description("Qdrant's upsert request: points, or the column form batch. Each point has a vector, or Quiver's text embedded by the collection's model. All points are written in one transaction, or none.")]
internal sealed class UpsertPointsRequest
{
    [JsonPropertyName("points")]
    public PointInput[]? Points { get; init; }

    [JsonPropertyName("batch")]
    public PointsBatch? Batch { get; init; }
}

[Expected("a point object with id and vector")]
internal sealed class PointInput
{
    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("vector")]
    public PointVector? Vector { get; init; }

    [JsonPropertyName("text")]
    [Description("Quiver's extension: the point's text, embedded by the collection's model when there is no vector, and kept for keyword search.")]
    public string? Text { get; init; }

    [JsonPropertyName("payload")]
    [Description("Any JSON object, filterable by its fields.")]
    public Dictionary<string, JsonNode?>? Payload { get; init; }
}

[Union(typeof(float[]), typeof(TextDocument))]
[Description("The vector, or Qdrant's inference form {\"text\": ...} embedded by the collection's model.")]
internal sealed class PointVector
{
    /// <summary>The numbers, when the request gave an array (<see cref="PointVectorReader"/>).</summary>
    [JsonIgnore]
    public float[]? Values { get; init; }

    /// <summary>The text of the inference form, when the request gave one.</summary>
    [JsonIgnore]
    public string? Text { get; init; }
}

[Description("Text embedded by the collection's model (Qdrant's Document).")]
internal sealed class TextDocument
{
    [JsonPropertyName("text")]
    public required string Text { get; init; }

    [JsonPropertyName("model")]
    [Description("Ignored: the collection's own model embeds the text.")]
    public string? Model { get; init; }
}

[Description("Points as columns: one entry per id in each list given. Give vectors or Quiver's texts.")]
internal sealed class PointsBatch
{
    [JsonPropertyName("ids")]
    public required PointId[] Ids { get; init; }

    [JsonPropertyName("vectors")]
    public float[][]? Vectors { get; init; }

    [JsonPropertyName("texts")]
    [Description("Quiver's extension: texts embedded by the collection's model, instead of vectors.")]
    public string[]? Texts { get; init; }

    [JsonPropertyName("payloads")]
    public Dictionary<string, JsonNode?>?[]? Payloads { get; init; }
}

[Description("Qdrant's retrieve request: points by id.")]
internal sealed class GetPointsRequest
{
    [JsonPropertyName("ids")]
    public required PointId[] Ids { get; init; }

    [JsonPropertyName("with_payload")]
    [Description("Which payload to return; all of it when absent.")]
    public PayloadSelection? WithPayload { get; init; }

    [JsonPropertyName("with_vector")]
    [Description("Whether to return vectors (also read as with_vectors); false when absent.")]
    [Expected("true or false (Quiver collections hold one unnamed vector)")]
    public bool? WithVector { get; init; }

    [JsonPropertyName("with_vectors")]
    [Description("Qdrant's other name for with_vector, read when with_vector is absent.")]
    [Expected("true or false (Quiver collections hold one unnamed vector)")]
    public bool? WithVectors { get; init; }
}

[Union(typeof(bool), typeof(string[]), typeof(PayloadKeys))]
[Description("true, false, the keys to return, or {\"include\": [...]} / {\"exclude\": [...]}.")]
internal sealed class PayloadSelection
{
    /// <summary>The selection as the request gave it, read by <see cref="PayloadSelector"/>.</summary>
    [JsonIgnore]
    public JsonNode? Json { get; init; }
}

internal sealed class PayloadKeys
{
    [JsonPropertyName("include")]
    public string[]? Include { get; init; }

    [JsonPropertyName("exclude")]
    public string[]? Exclude { get; init; }
}

[Description("A point as Qdrant's Record, with Quiver's text.")]
internal sealed class PointRecord
{
    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("payload")]
    [Description("The payload selected by with_payload, or null when none was asked for.")]
    public required Dictionary<string, JsonNode?>? Payload { get; init; }

    [JsonPropertyName("vector")]
    [Description("The vector when with_vector asked for it, else null.")]
    public required float[]? Vector { get; init; }

    [JsonPropertyName("text")]
    [Description("Quiver's extension: the point's text, when it has one and a payload was asked for.")]
    public string? Text { get; init; }
}

[Description("A search hit as Qdrant's ScoredPoint, with Quiver's text. A query with no query gives points in id order, without score and version.")]
internal sealed class ScoredPoint
{
    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("version")]
    [Description("Always 0.")]
    public int? Version { get; init; }

    [JsonPropertyName("score")]
    [Description("Similarity for Cosine and Dot (higher is nearer), distance for Euclid (lower is nearer).")]
    public float? Score { get; init; }

    [JsonPropertyName("payload")]
    [Description("The payload selected by with_payload, or null when none was asked for.")]
    public required Dictionary<string, JsonNode?>? Payload { get; init; }

    [JsonPropertyName("vector")]
    [Description("The vector when with_vector asked for it, else null.")]
    public required float[]? Vector { get; init; }

    [JsonPropertyName("text")]
    [Description("Quiver's extension: the point's text, when it has one and a payload was asked for.")]
    public string? Text { get; init; }
}

[Union(typeof(PointId[]), typeof(Filter))]
[Description("The point ids, or a filter in Qdrant's older form.")]
internal sealed class PointsSelector
{
    /// <summary>The ids or filter as the request gave them; the route tells the two apart.</summary>
    [JsonIgnore]
    public JsonNode? Json { get; init; }
}

[Description("Which points a delete or payload edit applies to: points (ids) or filter, not both.")]
internal sealed class PointsSelection
{
    [JsonPropertyName("points")]
    [Description("The point ids (a filter object is also read here, in Qdrant's older form).")]
    public PointsSelector? Points { get; init; }

    [JsonPropertyName("filter")]
    public Filter? Filter { get; init; }
}

[Description("Qdrant's set-payload (POST merges keys) and overwrite-payload (PUT replaces) request.")]
internal sealed class SetPayloadRequest
{
    [JsonPropertyName("payload")]
    public required Dictionary<string, JsonNode?> Payload { get; init; }

    [JsonPropertyName("key")]
    [Description("Qdrant's nested key to set under: refused, Quiver sets top-level keys.")]
    public string? Key { get; init; }

    [JsonPropertyName("points")]
    [Description("The point ids (a filter object is also read here, in Qdrant's older form).")]
    public PointsSelector? Points { get; init; }

    [JsonPropertyName("filter")]
    public Filter? Filter { get; init; }
}

[Description("Qdrant's delete-payload-keys request.")]
internal sealed class DeletePayloadRequest
{
    [JsonPropertyName("keys")]
    [Description("The top-level payload keys to remove.")]
    public required string[] Keys { get; init; }

    [JsonPropertyName("points")]
    [Description("The point ids (a filter object is also read here, in Qdrant's older form).")]
    public PointsSelector? Points { get; init; }

    [JsonPropertyName("filter")]
    public Filter? Filter { get; init; }
}

[Description("Qdrant's scroll request: a page of points in id order.")]
internal sealed class ScrollRequest
{
    [JsonPropertyName("limit")]
    [Range(1, int.MaxValue)]
    [Description("Points per page (10 when absent; at most the server's points per request).")]
    public int? Limit { get; init; }

    [JsonPropertyName("offset")]
    [Description("The first id of the page: the previous page's next_page_offset.")]
    public PointId? Offset { get; init; }

    [JsonPropertyName("filter")]
    public Filter? Filter { get; init; }

    [JsonPropertyName("with_payload")]
    [Description("Which payload to return; all of it when absent.")]
    public PayloadSelection? WithPayload { get; init; }

    [JsonPropertyName("with_vector")]
    [Description("Whether to return vectors (also read as with_vectors); false when absent.")]
    [Expected("true or false (Quiver collections hold one unnamed vector)")]
    public bool? WithVector { get; init; }

    [JsonPropertyName("with_vectors")]
    [Description("Qdrant's other name for with_vector, read when with_vector is absent.")]
    [Expected("true or false (Quiver collections hold one unnamed vector)")]
    public bool? WithVectors { get; init; }

    [JsonPropertyName("order_by")]
    [Description("Qdrant's ordering by a payload field: refused, points come in id order.")]
    public JsonNode? OrderBy { get; init; }
}

internal sealed class ScrollResult
{
    [JsonPropertyName("points")]
    public required PointRecord[] Points { get; init; }

    [JsonPropertyName("next_page_offset")]
    [Description("The offset of the next page, or null after the last.")]
    public required PointId? NextPageOffset { get; init; }
}

[Description("Qdrant's count request.")]
internal sealed class CountRequest
{
    [JsonPropertyName("filter")]
    public Filter? Filter { get; init; }

    [JsonPropertyName("exact")]
    [Description("Accepted for Qdrant's clients; counts are always exact.")]
    public bool? Exact { get; init; }
}

internal sealed class CountResult
{
    [JsonPropertyName("count")]
    public required long Count { get; init; }
}

[Description("Qdrant's search request: the nearest points to a vector, or to Quiver's text embedded by the collection's model.")]
[Expected("an object shaped like the single route's body")]
internal sealed class SearchPointsRequest : NearestRequest
{
    [JsonPropertyName("vector")]
    [Description("The query vector. Required unless text is given.")]
    public float[]? Vector { get; init; }

    [JsonPropertyName("text")]
    [Description("Quiver's extension: a query text, embedded with the model's query prompt.")]
    public string? Text { get; init; }
}

/// <summary>What a search and a query share: how many hits, which, and what each carries.</summary>
internal abstract class NearestRequest
{
    [JsonPropertyName("limit")]
    [Range(1, int.MaxValue)]
    [Description("Hits or points to return (10 when absent; at most the server's points per request).")]
    public int? Limit { get; init; }

    [JsonPropertyName("offset")]
    [Range(0, int.MaxValue)]
    [Description("Hits to skip first.")]
    public int? Offset { get; init; }

    [JsonPropertyName("score_threshold")]
    [Description("Keep hits scoring at least this (at most this for Euclid).")]
    public double? ScoreThreshold { get; init; }

    [JsonPropertyName("filter")]
    public Filter? Filter { get; init; }

    [JsonPropertyName("with_payload")]
    [Description("Which payload to return; none when absent.")]
    public PayloadSelection? WithPayload { get; init; }

    [JsonPropertyName("with_vector")]
    [Description("Whether to return vectors (also read as with_vectors); false when absent.")]
    [Expected("true or false (Quiver collections hold one unnamed vector)")]
    public bool? WithVector { get; init; }

    [JsonPropertyName("with_vectors")]
    [Description("Qdrant's other name for with_vector, read when with_vector is absent.")]
    [Expected("true or false (Quiver collections hold one unnamed vector)")]
    public bool? WithVectors { get; init; }

    [JsonPropertyName("params")]
    public SearchParams? Params { get; init; }
}

internal sealed class SearchParams
{
    [JsonPropertyName("hnsw_ef")]
    [Range(1, 100_000)]
    [Description("Candidates the HNSW search keeps (more is slower and finds more of the true nearest).")]
    public int? HnswEf { get; init; }

    [JsonPropertyName("exact")]
    [Description("true scans every stored point with exact scores instead of walking the HNSW graph (slower on large collections; never misses a point).")]
    public bool? Exact { get; init; }
}

[Description("Qdrant's universal query: the nearest points to a vector, to a stored point (by id, which is left out of the hits) or to a text; with no query, the first points in id order.")]
[Expected("an object shaped like the single route's body")]
internal sealed class QueryPointsRequest : NearestRequest
{
    [JsonPropertyName("query")]
    public QueryInput? Query { get; init; }

    [JsonPropertyName("using")]
    [Description("Qdrant's vector name: refused, Quiver collections hold one unnamed vector.")]
    public JsonNode? Using { get; init; }

    [JsonPropertyName("prefetch")]
    [Description("Qdrant's sub-queries: refused, Quiver runs one query per request.")]
    public JsonNode? Prefetch { get; init; }

    [JsonPropertyName("lookup_from")]
    [Description("Qdrant's other collection for ids: refused, Quiver recommends from the collection's own points.")]
    public JsonNode? LookupFrom { get; init; }
}

[Union(typeof(float[]), typeof(ulong), typeof(Guid), typeof(string), typeof(TextDocument), typeof(NearestQuery), typeof(RecommendQuery), Overlapping = true)]
[Description("A vector, a point id (an unsigned integer or a UUID), a text (a string that is not a UUID, or {\"text\": ...}), any of these as {\"nearest\": ...}, or {\"recommend\": {positive, negative, strategy}}.")]
internal sealed class QueryInput
{
    /// <summary>The query as the request gave it; the route tells its shapes apart.</summary>
    [JsonIgnore]
    public JsonNode? Json { get; init; }
}

internal sealed class RecommendQuery
{
    [JsonPropertyName("recommend")]
    public required RecommendInput Recommend { get; init; }
}

[Description("A recommendation inside a query: the examples and strategy of the recommend route; filter, limit and the rest stay in the query request.")]
internal sealed class RecommendInput
{
    [JsonPropertyName("positive")]
    [Description("Examples to move towards (required with average_vector).")]
    public RecommendExample[]? Positive { get; init; }

    [JsonPropertyName("negative")]
    [Description("Examples to move away from.")]
    public RecommendExample[]? Negative { get; init; }

    [JsonPropertyName("strategy")]
    public RecommendStrategyName? Strategy { get; init; }
}

internal sealed class NearestQuery
{
    [JsonPropertyName("nearest")]
    public required NearestTarget Nearest { get; init; }
}

[Union(typeof(float[]), typeof(ulong), typeof(Guid), typeof(string), typeof(TextDocument), Overlapping = true)]
[Description("A vector, a point id (an unsigned integer or a UUID), or a text (a string that is not a UUID, or {\"text\": ...}).")]
internal sealed class NearestTarget;

internal sealed class QueryResult
{
    [JsonPropertyName("points")]
    public required ScoredPoint[] Points { get; init; }
}

[Union(typeof(ulong), typeof(Guid), typeof(float[]))]
[Description("A recommend example: a point id (unsigned integer or UUID; the point is left out of the answer) or a vector.")]
internal sealed class RecommendExample
{
    /// <summary>The stored point's id, when the example is one (<see cref="RecommendExampleReader"/>).</summary>
    [JsonIgnore]
    public PointId? Id { get; init; }

    /// <summary>The vector, when the example is one.</summary>
    [JsonIgnore]
    public float[]? Vector { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<RecommendStrategyName>))]
internal enum RecommendStrategyName
{
    [JsonStringEnumMemberName("average_vector")]
    AverageVector,

    [JsonStringEnumMemberName("best_score")]
    BestScore,

    [JsonStringEnumMemberName("sum_scores")]
    SumScores,
}

[Description("Qdrant's recommend request: points like the positive examples and unlike the negative ones.")]
[Expected("an object shaped like the single route's body")]
internal sealed class RecommendPointsRequest : NearestRequest
{
    [JsonPropertyName("using")]
    [Description("Qdrant's vector name: refused, Quiver collections hold one unnamed vector.")]
    public JsonNode? Using { get; init; }

    [JsonPropertyName("lookup_from")]
    [Description("Qdrant's other collection for ids: refused, Quiver recommends from the collection's own points.")]
    public JsonNode? LookupFrom { get; init; }

    [JsonPropertyName("positive")]
    [Description("Examples to move towards (required with average_vector).")]
    public RecommendExample[]? Positive { get; init; }

    [JsonPropertyName("negative")]
    [Description("Examples to move away from.")]
    public RecommendExample[]? Negative { get; init; }

    [JsonPropertyName("strategy")]
    [Description("average_vector (when absent): one query vector, avg(positive) + (avg(positive) − avg(negative)), searched like any query; best_score: each point scored by its most similar example, positives above negatives; sum_scores: similarities to positives minus those to negatives. Quiver scores best_score and sum_scores by an exact scan.")]
    public RecommendStrategyName? Strategy { get; init; }
}

[Description("Several searches, answered in order.")]
internal sealed class SearchBatchRequest
{
    [JsonPropertyName("searches")]
    public required SearchPointsRequest[] Searches { get; init; }
}

[Description("Several recommendations, answered in order.")]
internal sealed class RecommendBatchRequest
{
    [JsonPropertyName("searches")]
    public required RecommendPointsRequest[] Searches { get; init; }
}

[Description("Several universal queries, answered in order.")]
internal sealed class QueryBatchRequest
{
    [JsonPropertyName("searches")]
    public required QueryPointsRequest[] Searches { get; init; }
}
