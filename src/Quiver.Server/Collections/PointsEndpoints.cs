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
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Upsert);
        await PointWrites.Upsert(collection, Pending(request, options.Limits), collections, batcher, options, context.RequestAborted);
        return QdrantJson.Ok(context, QdrantJson.Operation(collection.Sequence()));
    }

    // An upsert's points as the collection writes them: each with an id, and a vector or a text to embed.
    internal static List<PendingPoint> Pending(UpsertPointsRequest request, ServerLimits limits)
    {
        if (request.Points is { } points)
        {
            PointWrites.Limit(points.Length, "points", limits);
            var pending = new List<PendingPoint>(points.Length);
            for (var i = 0; i < points.Length; i++)
            {
                var path = $"points[{i}]";
                var point = points[i] ?? throw ApiException.BadRequest("must be a point object with id and vector, not null.", path);
                var (vector, text) = VectorOrText(point, path, limits);
                pending.Add(new PendingPoint(PointIds.Given(point.Id, $"{path}.id"), vector, text, Payload(point.Payload)));
            }

            return pending;
        }

        if (request.Batch is not { } batch)
        {
            throw ApiException.BadRequest("The body needs \"points\": [{\"id\", \"vector\", \"payload\"}] or \"batch\": {\"ids\", \"vectors\", \"payloads\"}.", "points");
        }

        var ids = batch.Ids ?? throw ApiException.BadRequest("is required.", "batch.ids");
        PointWrites.Limit(ids.Length, "batch.ids", limits);
        if ((batch.Vectors is null) == (batch.Texts is null))
        {
            throw ApiException.BadRequest("give vectors (or Quiver's texts), one per id.", "batch");
        }

        foreach (var (count, field) in new[] { (batch.Vectors?.Length, "vectors"), (batch.Texts?.Length, "texts"), (batch.Payloads?.Length, "payloads") })
        {
            if (count is { } given && given != ids.Length)
            {
                throw ApiException.BadRequest($"has {given} entries for {ids.Length} ids; give one per id.", $"batch.{field}");
            }
        }

        var columns = new List<PendingPoint>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            columns.Add(new PendingPoint(
                PointIds.Given(ids[i], $"batch.ids[{i}]"),
                batch.Vectors is null ? null : batch.Vectors[i] ?? throw ApiException.BadRequest("must be an array of numbers, not null.", $"batch.vectors[{i}]"),
                batch.Texts is null ? null : JsonFields.Text(batch.Texts[i] ?? throw ApiException.BadRequest("must be a string, not null.", $"batch.texts[{i}]"), $"batch.texts[{i}]", limits),
                Payload(batch.Payloads?[i])));
        }

        return columns;
    }

    private static (float[]? Vector, string? Text) VectorOrText(PointInput point, string path, ServerLimits limits)
    {
        var text = point.Text is { } given ? JsonFields.Text(given, $"{path}.text", limits) : null;
        return point.Vector switch
        {
            // Qdrant's inference form: "vector": {"text": "...", "model": "..."}.
            { Text: { } inner } => (null, JsonFields.Text(inner, $"{path}.vector.text", limits)),
            { Values: { } values } => (values, text),
            _ when text is null => throw ApiException.BadRequest("needs a vector (or Quiver's \"text\", embedded by the collection's model).", path),
            _ => (null, text),
        };
    }

    private static JsonObject? Payload(Dictionary<string, JsonNode?>? payload) => payload is null ? null : new JsonObject(payload);

    private static async Task<IResult> GetMany(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.GetPoints);
        var ids = Ids(request.Ids ?? throw ApiException.BadRequest("is required.", "ids"), "ids", options.Limits.MaxPointsPerRequest);
        var payload = PayloadSelector.Parse(request.WithPayload?.Json, "with_payload", fallback: true);
        var withVector = request.WithVector ?? request.WithVectors ?? false;
        var points = collection.Get(ids, withVector);
        return QdrantJson.Ok(context, new JsonArray([.. points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]));
    }

    /// <summary>A request's point ids as stored, at most <paramref name="limit"/> of them.</summary>
    internal static List<string> Ids(PointId?[] ids, string path, int limit) =>
        ids.Length > limit
            ? throw ApiException.BadRequest($"has {ids.Length} ids; one request takes at most {limit}.", path)
            : [.. ids.Select((id, i) => PointIds.Given(id, $"{path}[{i}]"))];

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
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Delete);
        var (ids, filter) = Selection(request.Points, request.Filter, options.Limits);
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
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Scroll, allowEmpty: true);
        var limit = request.Limit is { } l ? JsonFields.Within(l, 1, options.Limits.MaxPointsPerRequest, "limit") : 10;
        var offset = request.Offset?.Value;
        var filter = QdrantFilters.Parse(request.Filter?.Json, "filter");
        if (request.OrderBy is not null)
        {
            throw ApiException.BadRequest("order_by is not supported; points come in id order.", "order_by");
        }

        var payload = PayloadSelector.Parse(request.WithPayload?.Json, "with_payload", fallback: true);
        var withVector = request.WithVector ?? request.WithVectors ?? false;
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
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Count, allowEmpty: true);
        return QdrantJson.Ok(context, new JsonObject { ["count"] = collection.Count(QdrantFilters.Parse(request.Filter?.Json, "filter")) });
    }

    private static async Task<IResult> Search(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Search);
        return QdrantJson.Ok(context, await SearchOne(collection, request, "", collections, batcher, options, context));
    }

    private static async Task<IResult> SearchBatch(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.SearchBatch);
        var answers = new JsonArray();
        var searches = Entries(request.Searches, options.Limits);
        for (var i = 0; i < searches.Length; i++)
        {
            answers.Add(await SearchOne(collection, searches[i], $"searches[{i}].", collections, batcher, options, context));
        }

        return QdrantJson.Ok(context, answers);
    }

    // One search, its fields' paths starting with "at" (empty for the single route, "searches[2]." in a batch).
    private static async Task<JsonArray> SearchOne(Collection collection, SearchPointsRequest request, string at, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, HttpContext context)
    {
        var vector = request switch
        {
            { Vector: { } given } => given,
            { Text: { } text } => await EmbedQuery(collection, JsonFields.Text(text, at + "text", options.Limits), collections, batcher, options, context),
            _ => throw ApiException.BadRequest("is required: an array of numbers (or Quiver's \"text\").", at + "vector"),
        };
        return new JsonArray([.. Nearest(collection, vector, request, at, options, excluded: null)]);
    }

    private static async Task<IResult> Query(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Query, allowEmpty: true);
        return QdrantJson.Ok(context, await QueryOne(collection, request, "", collections, batcher, options, context));
    }

    private static async Task<IResult> QueryBatch(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.QueryBatch);
        var answers = new JsonArray();
        var queries = Entries(request.Searches, options.Limits);
        for (var i = 0; i < queries.Length; i++)
        {
            answers.Add(await QueryOne(collection, queries[i], $"searches[{i}].", collections, batcher, options, context));
        }

        return QdrantJson.Ok(context, answers);
    }

    /// <summary>Refuses the parts of Qdrant's query Quiver does not run (named vectors, prefetch, lookup_from), naming the field under <paramref name="at"/>.</summary>
    internal static void RefuseUnsupported(QueryPointsRequest request, string at = "")
    {
        var unsupported = request switch
        {
            { Using: not null } => ("using", "is not supported: Quiver collections hold one unnamed vector. Leave using out."),
            { Prefetch: not null } => ("prefetch", "is not supported: Quiver runs one query per request. Leave prefetch out, and use /context or hybrid search in the CLI for fused results."),
            { LookupFrom: not null } => ("lookup_from", "is not supported: Quiver recommends from the collection's own points. Leave lookup_from out."),
            _ => default((string Field, string Message)?),
        };
        if (unsupported is { } refused)
        {
            throw ApiException.BadRequest(refused.Message, at + refused.Field);
        }
    }

    private static async Task<JsonObject> QueryOne(Collection collection, QueryPointsRequest request, string at, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, HttpContext context)
    {
        RefuseUnsupported(request, at);
        var query = request.Query?.Json;
        var queryPath = at + "query";
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
                var limit = request.Limit is { } l ? JsonFields.Within(l, 1, options.Limits.MaxPointsPerRequest, at + "limit") : 10;
                var payload = PayloadSelector.Parse(request.WithPayload?.Json, at + "with_payload", fallback: false);
                var withVector = request.WithVector ?? request.WithVectors ?? false;
                var page = collection.Scroll(limit, null, QdrantFilters.Parse(request.Filter?.Json, at + "filter"), withVector);
                return new JsonObject
                {
                    ["points"] = new JsonArray([.. page.Points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]),
                };
            case JsonObject recommend when recommend["recommend"] is { } examples:
                var recommendPath = $"{queryPath}.recommend";
                var input = examples is JsonObject
                    ? RequestBody.Parse(examples, RequestTypes.RecommendInput, recommendPath + ".")
                    : throw JsonFields.Wrong(recommendPath, "an object with positive and negative examples and a strategy", examples);
                return new JsonObject { ["points"] = new JsonArray([.. RecommendOne(collection, input.Positive, input.Negative, input.Strategy, recommendPath + ".", request, at, options)]) };
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

        var hits = Nearest(collection, vector, request, at, options, excluded is null ? null : new HashSet<string>(StringComparer.Ordinal) { excluded });
        return new JsonObject { ["points"] = new JsonArray([.. hits]) };
    }

    private static async Task<IResult> Recommend(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Recommend);
        return QdrantJson.Ok(context, new JsonArray([.. RecommendRoute(collection, request, "", options)]));
    }

    private static async Task<IResult> RecommendBatch(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.RecommendBatch);
        var answers = new JsonArray();
        var recommendations = Entries(request.Searches, options.Limits);
        for (var i = 0; i < recommendations.Length; i++)
        {
            answers.Add(new JsonArray([.. RecommendRoute(collection, recommendations[i], $"searches[{i}].", options)]));
        }

        return QdrantJson.Ok(context, answers);
    }

    private static List<JsonNode> RecommendRoute(Collection collection, RecommendPointsRequest request, string at, ServerOptions options)
    {
        var unsupported = request.Using is not null ? "using" : request.LookupFrom is not null ? "lookup_from" : null;
        if (unsupported is not null)
        {
            throw ApiException.BadRequest($"is not supported: Quiver collections hold one unnamed vector and recommend from their own points. Leave {unsupported} out.", at + unsupported);
        }

        return RecommendOne(collection, request.Positive, request.Negative, request.Strategy, at, request, at, options);
    }

    // Qdrant's recommend: examples are point ids (left out of the answer) or vectors; average_vector searches one query
    // vector, best_score and sum_scores score every point against every example (an exact scan here). The examples
    // and strategy come from the recommend request itself or, in a query, from its {"recommend": …} object (their
    // paths start with examplesAt), while filter, limit, offset and the rest come from the request.
    private static List<JsonNode> RecommendOne(Collection collection, RecommendExample?[]? positiveExamples, RecommendExample?[]? negativeExamples, RecommendStrategyName? name, string examplesAt, NearestRequest request, string at, ServerOptions options)
    {
        var strategy = name switch
        {
            RecommendStrategyName.BestScore => RecommendStrategy.BestScore,
            RecommendStrategyName.SumScores => RecommendStrategy.SumScores,
            _ => RecommendStrategy.AverageVector,
        };
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var positive = Examples(collection, positiveExamples, examplesAt + "positive", excluded, options.Limits);
        var negative = Examples(collection, negativeExamples, examplesAt + "negative", excluded, options.Limits);
        Recommendations.Check(strategy, positive.Count, negative.Count, examplesAt + "positive");
        return strategy == RecommendStrategy.AverageVector
            ? Nearest(collection, Recommender.AverageQuery(positive, negative), request, at, options, excluded)
            : Nearest(collection, [], request, at, options, excluded, strategy, positive, negative);
    }

    // A batch route's requests: {"searches": [request, …]}, each entry shaped like the single route's body and answered
    // in order. Entries are read one after another; nothing a batch does writes, so an entry refused halfway leaves
    // nothing behind.
    internal static T[] Entries<T>(T?[]? searches, ServerLimits limits)
        where T : class
    {
        if (searches is null)
        {
            throw ApiException.BadRequest("is required: an array of requests, each shaped like the single route's body.", "searches");
        }

        if (searches.Length == 0)
        {
            throw ApiException.BadRequest("is empty; give at least one request.", "searches");
        }

        if (searches.Length > limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"holds {searches.Length} requests; one batch takes at most {limits.MaxPointsPerRequest}. Send several batches.", "searches");
        }

        return [.. searches.Select((entry, i) => entry ?? throw ApiException.BadRequest("must be an object shaped like the single route's body, not null.", $"searches[{i}]"))];
    }

    private static List<float[]> Examples(Collection collection, RecommendExample?[]? examples, string path, HashSet<string> excluded, ServerLimits limits)
    {
        if (examples is null)
        {
            return [];
        }

        if (examples.Length > limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"holds {examples.Length} examples; at most {limits.MaxPointsPerRequest} are accepted.", path);
        }

        var given = examples.Select((example, i) => example?.Vector is { } vector
            ? new GivenExample(null, vector, $"{path}[{i}]", "")
            : new GivenExample(PointIds.Given(example?.Id, $"{path}[{i}]"), null, $"{path}[{i}]", example!.Id!.Shown)).ToList();
        return Recommendations.Vectors(collection, given, path, excluded, limits);
    }

    internal static Task<float[]> EmbedQuery(Collection collection, string text, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, HttpContext context) =>
        PointWrites.EmbedQuery(collection, text, collections, batcher, options, context.RequestAborted);

    private static List<JsonNode> Nearest(Collection collection, float[] vector, NearestRequest request, string at, ServerOptions options, IReadOnlySet<string>? excluded, RecommendStrategy? scan = null, IReadOnlyList<float[]>? positive = null, IReadOnlyList<float[]>? negative = null)
    {
        var limits = options.Limits;
        var limit = request.Limit is { } l ? JsonFields.Within(l, 1, limits.MaxPointsPerRequest, at + "limit") : 10;
        var offset = request.Offset is { } o ? JsonFields.Within(o, 0, limits.MaxPointsPerRequest, at + "offset") : 0;
        var filter = QdrantFilters.Parse(request.Filter?.Json, at + "filter");
        var payload = PayloadSelector.Parse(request.WithPayload?.Json, at + "with_payload", fallback: false);
        var withVector = request.WithVector ?? request.WithVectors ?? false;
        var ef = request.Params?.HnswEf is { } given ? JsonFields.Within(given, 1, 100_000, at + "params.hnsw_ef") : (int?)null;
        var exact = request.Params?.Exact == true;
        var hits = NearestPoints.Find(collection, vector, new HitSelection(limit, offset, request.ScoreThreshold, filter, ef, exact, withVector), excluded, scan, positive, negative, at + "vector");
        return [.. hits.Select(h => (JsonNode)QdrantJson.Record(
            new Point(h.Hit.Id, h.Vector ?? [], h.Hit.Payload, h.Hit.Text), payload, withVector, h.Hit.Score))];
    }

    private static async Task<IResult> EditPayload(string name, HttpContext context, ServedCollections collections, ServerOptions options, PayloadEdit edit)
    {
        var collection = collections.Get(name);
        var limits = options.Limits;
        (List<string>? Ids, PayloadFilter? Filter) selection;
        Func<JsonObject?, JsonObject?> change;
        switch (edit)
        {
            case PayloadEdit.Merge or PayloadEdit.Overwrite:
                var set = await RequestBody.Read(context, limits, RequestTypes.SetPayload);
                selection = Selection(set.Points, set.Filter, limits);
                var payload = set.Payload is { } given ? new JsonObject(given) : throw ApiException.BadRequest("is required: the payload object to set.", "payload");
                if (set.Key is not null)
                {
                    throw ApiException.BadRequest("setting a nested key is not supported; set top-level keys.", "key");
                }

                change = edit == PayloadEdit.Overwrite ? PayloadChanges.Overwrite(payload) : PayloadChanges.Merge(payload);
                break;
            case PayloadEdit.DeleteKeys:
                var delete = await RequestBody.Read(context, limits, RequestTypes.DeletePayload);
                selection = Selection(delete.Points, delete.Filter, limits);
                var keys = delete.Keys ?? throw ApiException.BadRequest("is required: the payload keys to delete.", "keys");
                change = PayloadChanges.DeleteKeys([.. keys.Select((k, i) => k ?? throw ApiException.BadRequest("must be a string, not null.", $"keys[{i}]"))]);
                break;
            default:
                var clear = await RequestBody.Read(context, limits, RequestTypes.Delete);
                selection = Selection(clear.Points, clear.Filter, limits);
                change = PayloadChanges.Clear();
                break;
        }

        collection.EditPayload(selection.Ids, selection.Filter, change);
        return QdrantJson.Ok(context, QdrantJson.Operation(collection.Sequence()));
    }

    // Which points a delete or payload edit applies to: "points" (ids, or a filter in Qdrant's older form) or "filter".
    internal static (List<string>? Ids, PayloadFilter? Filter) Selection(PointsSelector? selector, Filter? given, ServerLimits limits)
    {
        var points = selector?.Json;
        var filter = given?.Json;
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
