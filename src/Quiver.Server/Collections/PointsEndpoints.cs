using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Core.Distances;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Server.Security;
using Quiver.Store.Collections;
using Quiver.Store.Recommendation;
using Quiver.Store.Filtering;

namespace Quiver.Server.Collections;

/// <summary>
/// Qdrant's point routes: upsert, get, delete, scroll, count, search, query and payload editing. Every write is
/// one SQLite transaction, committed before the answer, so an acknowledged write survives a crash and a refused
/// request stores nothing. Quiver's extension: a point or a query may give "text" instead of a vector, embedded by
/// the collection's model.
/// </summary>
internal static class PointsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var points = routes.MapGroup("/collections/{name}/points").WithTags("points");
        points.MapPut("", Upsert).RequiresWrite().WithName("upsert_points").WithSummary("Upsert points (vectors, or text embedded by the collection's model)")
            .Accepts<UpsertPointsRequest>("application/json").Produces<QdrantResponse<UpdateResult>>();
        points.MapPost("", GetMany).WithName("get_points").WithSummary("Get points by id")
            .Accepts<GetPointsRequest>("application/json").Produces<QdrantResponse<PointRecord[]>>();
        points.MapGet("/{id}", GetOne).WithName("get_point").WithSummary("Get one point")
            .Produces<QdrantResponse<PointRecord>>();
        points.MapPost("/delete", Delete).RequiresWrite().WithName("delete_points").WithSummary("Delete points by id or filter")
            .Accepts<PointsSelection>("application/json").Produces<QdrantResponse<UpdateResult>>();
        points.MapPost("/scroll", Scroll).WithName("scroll_points").WithSummary("Page through points in id order")
            .Accepts<ScrollRequest>(isOptional: true, "application/json").Produces<QdrantResponse<ScrollResult>>();
        points.MapPost("/count", Count).WithName("count_points").WithSummary("Count points matching a filter")
            .Accepts<CountRequest>(isOptional: true, "application/json").Produces<QdrantResponse<CountResult>>();
        points.MapPost("/search", Search).WithName("search_points").WithSummary("Nearest points to a vector (or text)")
            .Accepts<SearchPointsRequest>("application/json").Produces<QdrantResponse<ScoredPoint[]>>();
        points.MapPost("/recommend", Recommend).WithName("recommend_points").WithSummary("Points like the positive examples and unlike the negative ones")
            .Accepts<RecommendPointsRequest>("application/json").Produces<QdrantResponse<ScoredPoint[]>>();
        points.MapPost("/query", Query).WithName("query_points").WithSummary("Universal query: nearest to a vector, a point id or text")
            .Accepts<QueryPointsRequest>(isOptional: true, "application/json").Produces<QdrantResponse<QueryResult>>();
        points.MapPost("/payload", (string name, HttpContext c, ServedCollections s, ServerOptions o) => EditPayload(name, c, s, o, PayloadEdit.Merge)).RequiresWrite().WithName("set_payload").WithSummary("Set payload keys")
            .Accepts<SetPayloadRequest>("application/json").Produces<QdrantResponse<UpdateResult>>();
        points.MapPut("/payload", (string name, HttpContext c, ServedCollections s, ServerOptions o) => EditPayload(name, c, s, o, PayloadEdit.Overwrite)).RequiresWrite().WithName("overwrite_payload").WithSummary("Replace the payload")
            .Accepts<SetPayloadRequest>("application/json").Produces<QdrantResponse<UpdateResult>>();
        points.MapPost("/payload/delete", (string name, HttpContext c, ServedCollections s, ServerOptions o) => EditPayload(name, c, s, o, PayloadEdit.DeleteKeys)).RequiresWrite().WithName("delete_payload").WithSummary("Delete payload keys")
            .Accepts<DeletePayloadRequest>("application/json").Produces<QdrantResponse<UpdateResult>>();
        points.MapPost("/payload/clear", (string name, HttpContext c, ServedCollections s, ServerOptions o) => EditPayload(name, c, s, o, PayloadEdit.Clear)).RequiresWrite().WithName("clear_payload").WithSummary("Clear the payload")
            .Accepts<PointsSelection>("application/json").Produces<QdrantResponse<UpdateResult>>();
    }

    private enum PayloadEdit
    {
        Merge,
        Overwrite,
        DeleteKeys,
        Clear,
    }

    private static async Task<IResult> Upsert(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits);
        await body.Reserve(options.Limits.BodyMemoryWait, context.RequestAborted, "points", "batch");
        var parsed = new List<(string Id, float[]? Vector, string? Text, JsonObject? Payload)>();
        if (JsonFields.Array(body, "points") is { } points)
        {
            Limit(points.Count, "points", options.Limits);
            for (var i = 0; i < points.Count; i++)
            {
                var path = $"points[{i}]";
                var point = points[i] as JsonObject ?? throw JsonFields.Wrong(path, "a point object with id and vector", points[i]);
                var id = PointIds.Parse(point["id"], $"{path}.id");
                var (vector, text) = VectorOrText(point, path, options.Limits);
                parsed.Add((id, vector, text, JsonFields.Object(point, "payload", $"{path}.payload")));
            }
        }
        else if (JsonFields.Object(body, "batch") is { } batch)
        {
            var ids = JsonFields.Array(batch, "ids", "batch.ids") ?? throw ApiException.BadRequest("is required.", "batch.ids");
            Limit(ids.Count, "batch.ids", options.Limits);
            var vectors = JsonFields.Array(batch, "vectors", "batch.vectors");
            var texts = JsonFields.Array(batch, "texts", "batch.texts");
            var payloads = JsonFields.Array(batch, "payloads", "batch.payloads");
            if ((vectors is null) == (texts is null))
            {
                throw ApiException.BadRequest("give vectors (or Quiver's texts), one per id.", "batch");
            }

            foreach (var (list, field) in new[] { (vectors, "vectors"), (texts, "texts"), (payloads, "payloads") })
            {
                if (list is not null && list.Count != ids.Count)
                {
                    throw ApiException.BadRequest($"has {list.Count} entries for {ids.Count} ids; give one per id.", $"batch.{field}");
                }
            }

            for (var i = 0; i < ids.Count; i++)
            {
                var payload = payloads?[i];
                parsed.Add((
                    PointIds.Parse(ids[i], $"batch.ids[{i}]"),
                    vectors is null ? null : JsonFields.Vector(vectors[i], $"batch.vectors[{i}]"),
                    texts is null ? null : JsonFields.Text(texts[i], $"batch.texts[{i}]", options.Limits),
                    payload is null ? null : payload as JsonObject ?? throw JsonFields.Wrong($"batch.payloads[{i}]", "an object", payload)));
            }
        }
        else
        {
            throw ApiException.BadRequest("The body needs \"points\": [{\"id\", \"vector\", \"payload\"}] or \"batch\": {\"ids\", \"vectors\", \"payloads\"}.", "points");
        }

        // Embed the texts first: nothing is written unless every point has a vector.
        var textual = parsed.Select((p, i) => (p, i)).Where(x => x.p.Vector is null).ToList();
        var vectorsOf = new float[parsed.Count][];
        if (textual.Count > 0)
        {
            var model = collections.ModelFor(collection);
            var embedded = await batcher.Embed(model, [.. textual.Select(x => EmbeddingInput.Prompted(collection.Space.DocumentPrompt, x.p.Text!))], options.Truncation, context.RequestAborted);
            for (var k = 0; k < textual.Count; k++)
            {
                vectorsOf[textual[k].i] = embedded[k].Vector;
            }
        }

        var stored = parsed.Select((p, i) => new Point(p.Id, p.Vector ?? vectorsOf[i], p.Payload is null ? null : (JsonObject)p.Payload.DeepClone(), p.Text)).ToList();
        try
        {
            collection.Upsert(stored);
        }
        catch (InvalidVectorException e)
        {
            throw ApiException.BadRequest($"Wrong input: {e.Message}", "points");
        }

        return QdrantJson.Ok(context, QdrantJson.Operation(collection.Sequence()));
    }

    private static (float[]? Vector, string? Text) VectorOrText(JsonObject point, string path, ServerLimits limits)
    {
        var vector = point["vector"];
        var text = point["text"] is { } given ? JsonFields.Text(given, $"{path}.text", limits) : null;
        if (vector is JsonObject document)
        {
            // Qdrant's inference form: "vector": {"text": "...", "model": "..."}.
            if (document["text"] is { } inner)
            {
                return (null, JsonFields.Text(inner, $"{path}.vector.text", limits));
            }

            throw ApiException.BadRequest("named vectors are not supported: Quiver collections hold one unnamed vector. Give an array of numbers.", $"{path}.vector");
        }

        if (vector is null)
        {
            return text is null
                ? throw ApiException.BadRequest("needs a vector (or Quiver's \"text\", embedded by the collection's model).", path)
                : (null, text);
        }

        return (JsonFields.Vector(vector, $"{path}.vector"), text);
    }

    private static async Task<IResult> GetMany(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits);
        var ids = PointIds.ParseMany(JsonFields.Array(body, "ids") ?? throw ApiException.BadRequest("is required.", "ids"), "ids", options.Limits.MaxPointsPerRequest);
        var payload = PayloadSelector.Parse(body, fallback: true);
        var withVector = QdrantJson.WithVector(body, fallback: false);
        var points = collection.Get(ids, withVector);
        return QdrantJson.Ok(context, new JsonArray([.. points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]));
    }

    private static IResult GetOne(string name, string id, HttpContext context, ServedCollections collections)
    {
        var collection = collections.Get(name);
        var key = PointIds.ParsePath(id, "id");
        var point = collection.Get(key) ?? throw ApiException.NotFound($"Not found: No point with id {id} found");
        return QdrantJson.Ok(context, QdrantJson.Record(point, PayloadSelector.All, withVector: true));
    }

    private static async Task<IResult> Delete(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits);
        var (ids, filter) = Selection(body, options.Limits);
        if (ids is not null)
        {
            collection.Delete(ids);
        }
        else
        {
            collection.Delete(filter!);
        }

        return QdrantJson.Ok(context, QdrantJson.Operation(collection.Sequence()));
    }

    private static async Task<IResult> Scroll(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits, allowEmpty: true);
        var limit = JsonFields.Int(body, "limit", 1, options.Limits.MaxPointsPerRequest) ?? 10;
        var offset = body["offset"] is { } o ? PointIds.Parse(o, "offset") : null;
        var filter = QdrantFilters.Parse(body["filter"], "filter");
        if (body["order_by"] is not null)
        {
            throw ApiException.BadRequest("order_by is not supported; points come in id order.", "order_by");
        }

        var payload = PayloadSelector.Parse(body, fallback: true);
        var withVector = QdrantJson.WithVector(body, fallback: false);
        var page = collection.Scroll(limit, offset, filter, withVector);
        return QdrantJson.Ok(context, new JsonObject
        {
            ["points"] = new JsonArray([.. page.Points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]),
            ["next_page_offset"] = page.NextOffset is null ? null : QdrantJson.Id(page.NextOffset),
        });
    }

    private static async Task<IResult> Count(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits, allowEmpty: true);
        JsonFields.Bool(body, "exact");
        return QdrantJson.Ok(context, new JsonObject { ["count"] = collection.Count(QdrantFilters.Parse(body["filter"], "filter")) });
    }

    private static async Task<IResult> Search(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits);
        float[] vector;
        if (body["vector"] is JsonArray)
        {
            vector = JsonFields.Vector(body["vector"], "vector");
        }
        else if (body["text"] is { } text)
        {
            vector = await EmbedQuery(collection, JsonFields.Text(text, "text", options.Limits), collections, batcher, options, context);
        }
        else
        {
            throw ApiException.BadRequest("is required: an array of numbers (or Quiver's \"text\").", "vector");
        }

        var hits = Nearest(collection, vector, body, options, excluded: null);
        return QdrantJson.Ok(context, new JsonArray([.. hits]));
    }

    private static async Task<IResult> Query(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits, allowEmpty: true);
        foreach (var unsupported in new[] { "using", "prefetch" })
        {
            if (body[unsupported] is not null)
            {
                throw ApiException.BadRequest(
                    unsupported == "using"
                        ? "is not supported: Quiver collections hold one unnamed vector. Leave using out."
                        : "is not supported: Quiver runs one query per request. Leave prefetch out, and use /context or hybrid search in the CLI for fused results.",
                    unsupported);
            }
        }

        var query = body["query"];
        if (query is JsonObject nearest && nearest["nearest"] is { } inner)
        {
            query = inner;
        }

        string? excluded = null;
        float[]? vector = null;
        switch (query)
        {
            case null:
                // No query: the first points in id order, as Qdrant does.
                var limit = JsonFields.Int(body, "limit", 1, options.Limits.MaxPointsPerRequest) ?? 10;
                var payload = PayloadSelector.Parse(body, fallback: false);
                var withVector = QdrantJson.WithVector(body, fallback: false);
                var page = collection.Scroll(limit, null, QdrantFilters.Parse(body["filter"], "filter"), withVector);
                return QdrantJson.Ok(context, new JsonObject
                {
                    ["points"] = new JsonArray([.. page.Points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]),
                });
            case JsonArray:
                vector = JsonFields.Vector(query, "query");
                break;
            case JsonObject document when document["text"] is { } text:
                vector = await EmbedQuery(collection, JsonFields.Text(text, "query.text", options.Limits), collections, batcher, options, context);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number || (value.GetValueKind() == JsonValueKind.String && PointIds.TryParseUuid(value.GetValue<string>(), out _)):
                excluded = PointIds.Parse(value, "query");
                vector = collection.Get(excluded)?.Vector ?? throw ApiException.NotFound($"Not found: No point with id {value.ToJsonString()} found", "query");
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                vector = await EmbedQuery(collection, JsonFields.Text(value, "query", options.Limits), collections, batcher, options, context);
                break;
            default:
                throw ApiException.BadRequest("must be a vector, {\"nearest\": vector}, a point id, or text ({\"text\": \"...\"}).", "query");
        }

        var hits = Nearest(collection, vector, body, options, excluded is null ? null : new HashSet<string>(StringComparer.Ordinal) { excluded });
        return QdrantJson.Ok(context, new JsonObject { ["points"] = new JsonArray([.. hits]) });
    }

    // Qdrant's recommend: examples are point ids (left out of the answer) or vectors; average_vector searches one query
    // vector, best_score and sum_scores score every point against every example (an exact scan here).
    private static async Task<IResult> Recommend(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits);
        foreach (var unsupported in new[] { "using", "lookup_from" })
        {
            if (body[unsupported] is not null)
            {
                throw ApiException.BadRequest($"is not supported: Quiver collections hold one unnamed vector and recommend from their own points. Leave {unsupported} out.", unsupported);
            }
        }

        var strategyName = JsonFields.String(body, "strategy");
        var strategy = strategyName switch
        {
            null or "average_vector" => RecommendStrategy.AverageVector,
            "best_score" => RecommendStrategy.BestScore,
            "sum_scores" => RecommendStrategy.SumScores,
            _ => throw ApiException.BadRequest($"'{strategyName}' is not a recommend strategy; use average_vector, best_score or sum_scores.", "strategy"),
        };
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var positive = Examples(collection, body, "positive", excluded, options.Limits);
        var negative = Examples(collection, body, "negative", excluded, options.Limits);
        if (strategy == RecommendStrategy.AverageVector && positive.Count == 0)
        {
            throw ApiException.BadRequest("Positive vectors should not be empty with `average` strategy: give at least one positive example, or use best_score.", "positive");
        }

        if (positive.Count + negative.Count == 0)
        {
            throw ApiException.BadRequest("is required: at least one positive or negative example (a point id or a vector).", "positive");
        }

        var hits = strategy == RecommendStrategy.AverageVector
            ? Nearest(collection, Recommender.AverageQuery(positive, negative), body, options, excluded)
            : Nearest(collection, [], body, options, excluded, strategy, positive, negative);
        return QdrantJson.Ok(context, new JsonArray([.. hits]));
    }

    private static List<float[]> Examples(Collection collection, RequestJson body, string field, HashSet<string> excluded, ServerLimits limits)
    {
        var examples = JsonFields.Array(body, field);
        if (examples is null)
        {
            return [];
        }

        if (examples.Count > limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"holds {examples.Count} examples; at most {limits.MaxPointsPerRequest} are accepted.", field);
        }

        var vectors = new List<float[]>(examples.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            var path = $"{field}[{i}]";
            if (examples[i] is JsonArray)
            {
                var vector = JsonFields.Vector(examples[i], path);
                if (vector.Length != collection.Dimensions)
                {
                    throw ApiException.BadRequest($"Wrong input: Vector dimension error: expected dim: {collection.Dimensions}, got {vector.Length}", path);
                }

                vectors.Add(vector);
                continue;
            }

            var id = PointIds.Parse(examples[i], path);
            var point = collection.Get(id) ?? throw ApiException.NotFound($"Not found: No point with id {examples[i]!.ToJsonString()} found", path);
            excluded.Add(id);
            vectors.Add(point.Vector);
        }

        return vectors;
    }

    private static async Task<float[]> EmbedQuery(Collection collection, string text, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, HttpContext context)
    {
        var model = collections.ModelFor(collection);
        var embedded = await batcher.Embed(model, [EmbeddingInput.Prompted(collection.Space.QueryPrompt, text)], options.Truncation, context.RequestAborted);
        return embedded[0].Vector;
    }

    private static List<JsonNode> Nearest(Collection collection, float[] vector, RequestJson body, ServerOptions options, IReadOnlySet<string>? excluded, RecommendStrategy? scan = null, IReadOnlyList<float[]>? positive = null, IReadOnlyList<float[]>? negative = null)
    {
        var limits = options.Limits;
        var limit = JsonFields.Int(body, "limit", 1, limits.MaxPointsPerRequest) ?? 10;
        var offset = JsonFields.Int(body, "offset", 0, limits.MaxPointsPerRequest) ?? 0;
        var threshold = JsonFields.Number(body, "score_threshold");
        var filter = QdrantFilters.Parse(body["filter"], "filter");
        var payload = PayloadSelector.Parse(body, fallback: false);
        var withVector = QdrantJson.WithVector(body, fallback: false);
        int? ef = null;
        var exact = false;
        if (JsonFields.Object(body, "params") is { } parameters)
        {
            ef = JsonFields.Int(parameters, "hnsw_ef", 1, 100_000, "params.hnsw_ef");
            exact = JsonFields.Bool(parameters, "exact", "params.exact") == true;
        }

        if (scan is null && vector.Length != collection.Dimensions)
        {
            throw ApiException.BadRequest($"Wrong input: Vector dimension error: expected dim: {collection.Dimensions}, got {vector.Length}", "vector");
        }

        var k = limit + offset + (excluded?.Count ?? 0);
        var found = scan is { } strategy
            ? Recommender.Scan(collection, positive!, negative!, strategy, k, filter, excluded ?? new HashSet<string>())
            : collection.Search(vector, k, filter, ef: ef is null ? null : Math.Max(ef.Value, k), exact: exact);

        // Recommendation scores are similarities (higher is better) whatever the metric; a search on Euclid scores distances.
        var lowerIsBetter = scan is null && collection.Space.Metric == DistanceMetric.Euclidean;
        var hits = found
            .Where(h => excluded is null || !excluded.Contains(h.Id))
            .Where(h => threshold is not { } t || (lowerIsBetter ? h.Score <= t : h.Score >= t))
            .Skip(offset)
            .Take(limit)
            .ToList();
        var vectors = withVector ? collection.Get([.. hits.Select(h => h.Id)]).ToDictionary(p => p.Id, p => p.Vector, StringComparer.Ordinal) : null;
        return [.. hits.Select(h => (JsonNode)QdrantJson.Record(
            new Point(h.Id, vectors?.GetValueOrDefault(h.Id) ?? [], h.Payload, h.Text), payload, withVector, h.Score))];
    }

    private static async Task<IResult> EditPayload(string name, HttpContext context, ServedCollections collections, ServerOptions options, PayloadEdit edit)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits);
        var (ids, filter) = Selection(body, options.Limits);
        Func<JsonObject?, JsonObject?> change;
        switch (edit)
        {
            case PayloadEdit.Merge or PayloadEdit.Overwrite:
                var payload = JsonFields.Object(body, "payload") ?? throw ApiException.BadRequest("is required: the payload object to set.", "payload");
                if (JsonFields.String(body, "key") is not null)
                {
                    throw ApiException.BadRequest("setting a nested key is not supported; set top-level keys.", "key");
                }

                change = edit == PayloadEdit.Overwrite
                    ? _ => (JsonObject)payload.DeepClone()
                    : current =>
                    {
                        var merged = (JsonObject?)current?.DeepClone() ?? [];
                        foreach (var (key, value) in payload)
                        {
                            merged[key] = value?.DeepClone();
                        }

                        return merged;
                    };
                break;
            case PayloadEdit.DeleteKeys:
                var keys = JsonFields.Array(body, "keys") ?? throw ApiException.BadRequest("is required: the payload keys to delete.", "keys");
                var names = keys.Select((k, i) => k?.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : throw JsonFields.Wrong($"keys[{i}]", "a string", k)).ToList();
                change = current =>
                {
                    if (current is null)
                    {
                        return null;
                    }

                    var trimmed = (JsonObject)current.DeepClone();
                    foreach (var key in names)
                    {
                        trimmed.Remove(key);
                    }

                    return trimmed;
                };
                break;
            default:
                change = _ => null;
                break;
        }

        collection.EditPayload(ids, filter, change);
        return QdrantJson.Ok(context, QdrantJson.Operation(collection.Sequence()));
    }

    // Which points a delete or payload edit applies to: "points" (ids, or a filter in Qdrant's older form) or "filter".
    internal static (List<string>? Ids, PayloadFilter? Filter) Selection(RequestJson body, ServerLimits limits)
    {
        var points = body["points"];
        var filter = body["filter"];
        if (points is JsonObject old && old.ContainsKey("must") | old.ContainsKey("should") | old.ContainsKey("must_not"))
        {
            return (null, QdrantFilters.Parse(old, "points"));
        }

        if (points is not null && filter is not null)
        {
            throw ApiException.BadRequest("give either points (ids) or filter, not both.", "points");
        }

        if (points is not null)
        {
            return (PointIds.ParseMany(points as JsonArray ?? throw JsonFields.Wrong("points", "an array of point ids", points), "points", limits.MaxPointsPerRequest), null);
        }

        if (filter is not null)
        {
            return (null, QdrantFilters.Parse(filter, "filter"));
        }

        throw ApiException.BadRequest("is required: the point ids (or a filter) to apply this to.", "points");
    }

    internal static void Limit(int count, string path, ServerLimits limits)
    {
        if (count > limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"has {count} points; one request takes at most {limits.MaxPointsPerRequest}. Send several requests.", path);
        }

        if (count == 0)
        {
            throw ApiException.BadRequest("is empty; give at least one point.", path);
        }
    }
}
