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
/// Qdrant's point routes: upsert, get, delete, scroll, count, search, recommend and query (each also as a batch) and
/// payload editing. Every write is
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
        points.MapPost("/search/batch", SearchBatch).WithName("search_batch_points").WithSummary("Several searches in one request, answered in order")
            .Accepts<SearchBatchRequest>("application/json").Produces<QdrantResponse<ScoredPoint[][]>>();
        points.MapPost("/recommend/batch", RecommendBatch).WithName("recommend_batch_points").WithSummary("Several recommendations in one request, answered in order")
            .Accepts<RecommendBatchRequest>("application/json").Produces<QdrantResponse<ScoredPoint[][]>>();
        points.MapPost("/query/batch", QueryBatch).WithName("query_batch_points").WithSummary("Several universal queries in one request, answered in order")
            .Accepts<QueryBatchRequest>("application/json").Produces<QdrantResponse<QueryResult[]>>();
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
        var parsed = new List<PendingPoint>();
        if (JsonFields.Array(body, "points") is { } points)
        {
            PointWrites.Limit(points.Count, "points", options.Limits);
            for (var i = 0; i < points.Count; i++)
            {
                var path = $"points[{i}]";
                var point = points[i] as JsonObject ?? throw JsonFields.Wrong(path, "a point object with id and vector", points[i]);
                var id = PointIds.Parse(point["id"], $"{path}.id");
                var (vector, text) = VectorOrText(point, path, options.Limits);
                parsed.Add(new PendingPoint(id, vector, text, JsonFields.Object(point, "payload", $"{path}.payload")));
            }
        }
        else if (JsonFields.Object(body, "batch") is { } batch)
        {
            var ids = JsonFields.Array(batch, "ids", "batch.ids") ?? throw ApiException.BadRequest("is required.", "batch.ids");
            PointWrites.Limit(ids.Count, "batch.ids", options.Limits);
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
                parsed.Add(new PendingPoint(
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

        await PointWrites.Upsert(collection, parsed, collections, batcher, options, context.RequestAborted);
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

    private static Task<IResult> Scroll(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        return ScrollFrom(context, options, (limit, offset, filter, withVector) => Task.FromResult(collection.Scroll(limit, offset, filter, withVector)));
    }

    /// <summary>Qdrant's scroll request read and answered once, over any source of pages (a collection, a distributed one).</summary>
    internal static async Task<IResult> ScrollFrom(HttpContext context, ServerOptions options, Func<int, string?, PayloadFilter?, bool, Task<ScrollPage>> read)
    {
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
        var page = await read(limit, offset, filter, withVector);
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
        return QdrantJson.Ok(context, await SearchOne(collection, body, collections, batcher, options, context));
    }

    private static async Task<IResult> SearchBatch(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var answers = new JsonArray();
        foreach (var search in await Batch(context, options))
        {
            answers.Add(await SearchOne(collection, search, collections, batcher, options, context));
        }

        return QdrantJson.Ok(context, answers);
    }

    private static async Task<JsonArray> SearchOne(Collection collection, IRequestFields body, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, HttpContext context)
    {
        float[] vector;
        if (body["vector"] is JsonArray)
        {
            vector = JsonFields.Vector(body["vector"], body.PathOf("vector"));
        }
        else if (body["text"] is { } text)
        {
            vector = await EmbedQuery(collection, JsonFields.Text(text, body.PathOf("text"), options.Limits), collections, batcher, options, context);
        }
        else
        {
            throw ApiException.BadRequest("is required: an array of numbers (or Quiver's \"text\").", body.PathOf("vector"));
        }

        return new JsonArray([.. Nearest(collection, vector, body, options, excluded: null)]);
    }

    private static async Task<IResult> Query(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits, allowEmpty: true);
        return QdrantJson.Ok(context, await QueryOne(collection, body, collections, batcher, options, context));
    }

    private static async Task<IResult> QueryBatch(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var answers = new JsonArray();
        foreach (var query in await Batch(context, options))
        {
            answers.Add(await QueryOne(collection, query, collections, batcher, options, context));
        }

        return QdrantJson.Ok(context, answers);
    }

    private static async Task<JsonObject> QueryOne(Collection collection, IRequestFields body, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, HttpContext context)
    {
        foreach (var unsupported in new[] { "using", "prefetch", "lookup_from" })
        {
            if (body[unsupported] is not null)
            {
                throw ApiException.BadRequest(
                    unsupported switch
                    {
                        "using" => "is not supported: Quiver collections hold one unnamed vector. Leave using out.",
                        "prefetch" => "is not supported: Quiver runs one query per request. Leave prefetch out, and use /context or hybrid search in the CLI for fused results.",
                        _ => "is not supported: Quiver recommends from the collection's own points. Leave lookup_from out.",
                    },
                    body.PathOf(unsupported));
            }
        }

        var query = body["query"];
        var queryPath = body.PathOf("query");
        if (query is JsonObject nearest && nearest["nearest"] is { } inner)
        {
            query = inner;
            queryPath += ".nearest";
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
                var page = collection.Scroll(limit, null, QdrantFilters.Parse(body["filter"], body.PathOf("filter")), withVector);
                return new JsonObject
                {
                    ["points"] = new JsonArray([.. page.Points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]),
                };
            case JsonObject recommend when recommend["recommend"] is { } examples:
                var recommendPath = $"{queryPath}.recommend";
                var input = examples as JsonObject ?? throw JsonFields.Wrong(recommendPath, "an object with positive and negative examples and a strategy", examples);
                return new JsonObject { ["points"] = new JsonArray([.. RecommendOne(collection, new NestedFields(input, recommendPath), body, options)]) };
            case JsonArray:
                vector = JsonFields.Vector(query, queryPath);
                break;
            case JsonObject document when document["text"] is { } text:
                vector = await EmbedQuery(collection, JsonFields.Text(text, $"{queryPath}.text", options.Limits), collections, batcher, options, context);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number || (value.GetValueKind() == JsonValueKind.String && PointIds.TryParseUuid(value.GetValue<string>(), out _)):
                excluded = PointIds.Parse(value, queryPath);
                vector = collection.Get(excluded)?.Vector ?? throw ApiException.NotFound($"Not found: No point with id {value.ToJsonString()} found", queryPath);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                vector = await EmbedQuery(collection, JsonFields.Text(value, queryPath, options.Limits), collections, batcher, options, context);
                break;
            default:
                throw ApiException.BadRequest("must be a vector, {\"nearest\": vector}, {\"recommend\": {positive, negative, strategy}}, a point id, or text ({\"text\": \"...\"}).", queryPath);
        }

        var hits = Nearest(collection, vector, body, options, excluded is null ? null : new HashSet<string>(StringComparer.Ordinal) { excluded });
        return new JsonObject { ["points"] = new JsonArray([.. hits]) };
    }

    private static async Task<IResult> Recommend(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var body = await JsonBody.ReadObject(context, options.Limits);
        return QdrantJson.Ok(context, new JsonArray([.. RecommendOne(collection, body, body, options)]));
    }

    private static async Task<IResult> RecommendBatch(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var answers = new JsonArray();
        foreach (var request in await Batch(context, options))
        {
            answers.Add(new JsonArray([.. RecommendOne(collection, request, request, options)]));
        }

        return QdrantJson.Ok(context, answers);
    }

    // Qdrant's recommend: examples are point ids (left out of the answer) or vectors; average_vector searches one query
    // vector, best_score and sum_scores score every point against every example (an exact scan here). The examples
    // and strategy come from the recommend request itself or, in a query, from its {"recommend": …} object, while
    // filter, limit, offset and the rest come from the request.
    private static List<JsonNode> RecommendOne(Collection collection, IRequestFields examples, IRequestFields body, ServerOptions options)
    {
        foreach (var unsupported in new[] { "using", "lookup_from" })
        {
            if (body[unsupported] is not null)
            {
                throw ApiException.BadRequest($"is not supported: Quiver collections hold one unnamed vector and recommend from their own points. Leave {unsupported} out.", body.PathOf(unsupported));
            }
        }

        var strategy = Recommendations.Strategy(JsonFields.String(examples, "strategy"), examples.PathOf("strategy"));
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var positive = Examples(collection, examples, "positive", excluded, options.Limits);
        var negative = Examples(collection, examples, "negative", excluded, options.Limits);
        Recommendations.Check(strategy, positive.Count, negative.Count, examples.PathOf("positive"));
        return strategy == RecommendStrategy.AverageVector
            ? Nearest(collection, Recommender.AverageQuery(positive, negative), body, options, excluded)
            : Nearest(collection, [], body, options, excluded, strategy, positive, negative);
    }

    // A batch route's requests: {"searches": [request, …]}, each entry shaped like the single route's body and answered
    // in order. Entries are read one after another; nothing a batch does writes, so an entry refused halfway leaves
    // nothing behind.
    private static async Task<List<NestedFields>> Batch(HttpContext context, ServerOptions options)
    {
        var body = await JsonBody.ReadObject(context, options.Limits);
        await body.Reserve(options.Limits.BodyMemoryWait, context.RequestAborted, "searches");
        var searches = JsonFields.Array(body, "searches") ?? throw ApiException.BadRequest("is required: an array of requests, each shaped like the single route's body.", "searches");
        if (searches.Count == 0)
        {
            throw ApiException.BadRequest("is empty; give at least one request.", "searches");
        }

        if (searches.Count > options.Limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"holds {searches.Count} requests; one batch takes at most {options.Limits.MaxPointsPerRequest}. Send several batches.", "searches");
        }

        return [.. searches.Select((entry, i) => new NestedFields(
            entry as JsonObject ?? throw JsonFields.Wrong($"searches[{i}]", "an object shaped like the single route's body", entry),
            $"searches[{i}]"))];
    }

    private static List<float[]> Examples(Collection collection, IRequestFields body, string field, HashSet<string> excluded, ServerLimits limits)
    {
        var examples = JsonFields.Array(body, field);
        if (examples is null)
        {
            return [];
        }

        var fieldPath = body.PathOf(field);
        if (examples.Count > limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"holds {examples.Count} examples; at most {limits.MaxPointsPerRequest} are accepted.", fieldPath);
        }

        var given = examples.Select((example, i) => example is JsonArray
            ? new GivenExample(null, JsonFields.Vector(example, $"{fieldPath}[{i}]"), $"{fieldPath}[{i}]", "")
            : new GivenExample(PointIds.Parse(example, $"{fieldPath}[{i}]"), null, $"{fieldPath}[{i}]", example!.ToJsonString())).ToList();
        return Recommendations.Vectors(collection, given, fieldPath, excluded, limits);
    }

    internal static Task<float[]> EmbedQuery(Collection collection, string text, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, HttpContext context) =>
        PointWrites.EmbedQuery(collection, text, collections, batcher, options, context.RequestAborted);

    private static List<JsonNode> Nearest(Collection collection, float[] vector, IRequestFields body, ServerOptions options, IReadOnlySet<string>? excluded, RecommendStrategy? scan = null, IReadOnlyList<float[]>? positive = null, IReadOnlyList<float[]>? negative = null)
    {
        var limits = options.Limits;
        var limit = JsonFields.Int(body, "limit", 1, limits.MaxPointsPerRequest) ?? 10;
        var offset = JsonFields.Int(body, "offset", 0, limits.MaxPointsPerRequest) ?? 0;
        var threshold = JsonFields.Number(body, "score_threshold");
        var filter = QdrantFilters.Parse(body["filter"], body.PathOf("filter"));
        var payload = PayloadSelector.Parse(body, fallback: false);
        var withVector = QdrantJson.WithVector(body, fallback: false);
        int? ef = null;
        var exact = false;
        if (JsonFields.Object(body, "params") is { } parameters)
        {
            ef = JsonFields.Int(parameters, "hnsw_ef", 1, 100_000, body.PathOf("params") + ".hnsw_ef");
            exact = JsonFields.Bool(parameters, "exact", body.PathOf("params") + ".exact") == true;
        }

        var hits = NearestPoints.Find(collection, vector, new HitSelection(limit, offset, threshold, filter, ef, exact, withVector), excluded, scan, positive, negative, body.PathOf("vector"));
        return [.. hits.Select(h => (JsonNode)QdrantJson.Record(
            new Point(h.Hit.Id, h.Vector ?? [], h.Hit.Payload, h.Hit.Text), payload, withVector, h.Hit.Score))];
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

                change = edit == PayloadEdit.Overwrite ? PayloadChanges.Overwrite(payload) : PayloadChanges.Merge(payload);
                break;
            case PayloadEdit.DeleteKeys:
                var keys = JsonFields.Array(body, "keys") ?? throw ApiException.BadRequest("is required: the payload keys to delete.", "keys");
                var names = keys.Select((k, i) => k?.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : throw JsonFields.Wrong($"keys[{i}]", "a string", k)).ToList();
                change = PayloadChanges.DeleteKeys(names);
                break;
            default:
                change = PayloadChanges.Clear();
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
}
