using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Quiver.Cluster;
using Quiver.Core.Distances;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.Search;
using Quiver.Store.Recommendation;

namespace Quiver.Server.Cluster;

/// <summary>
/// Text, recommend and RAG context on a <see cref="DistributedCollection"/>, for REST and gRPC alike. Texts are embedded
/// here, by the server that received the request, through the same batcher and model single-node collections use
/// (the model comes from the collection's space, which every silo holds), and stored with their vectors so the shards'
/// keyword indexes hold them. Searches become one <see cref="SearchRequest"/> that the distributed collection answers
/// over every shard and merges; recommend fetches its examples from their shards and builds Qdrant's average_vector
/// query as a single collection does.
/// </summary>
internal static class DistributedText
{
    /// <summary>Upsert of points with vectors or texts (each text embedded with the model's document prompt), in either of Qdrant's forms.</summary>
    public static async Task<IResult> Upsert(DistributedCollection collection, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Upsert);
        await Write(collection, PointsEndpoints.Pending(request, options.Limits), collections, batcher, options, context.RequestAborted);
        return QdrantJson.Ok(context, QdrantJson.Operation(0));
    }

    /// <summary>Embeds the texts first (as a single-node upsert does), so nothing is written unless every point has a vector; then the points go to their shards.</summary>
    public static async Task Write(DistributedCollection collection, IReadOnlyList<PendingPoint> parsed, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken)
    {
        var points = await PointWrites.Points(collection.Name, collection.Space, parsed, collections, batcher, options, cancellationToken);
        try
        {
            await collection.UpsertAsync(points);
        }
        catch (InvalidVectorException e)
        {
            throw ApiException.BadRequest($"Wrong input: {e.Message}", "points");
        }
    }

    /// <summary>A query text embedded with the collection's model and query prompt, as a single-node collection's is.</summary>
    public static Task<float[]> EmbedQuery(DistributedCollection collection, string text, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken) =>
        PointWrites.EmbedQuery(collection.Name, collection.Space, text, collections, batcher, options, cancellationToken);

    /// <summary>The hits after the excluded ids, the threshold and the offset, each with its vector when asked: one search over every shard.</summary>
    public static async Task<IReadOnlyList<SearchHit>> Nearest(DistributedCollection collection, float[] vector, HitSelection query, IReadOnlySet<string>? excluded, string vectorPath = "vector")
    {
        if (vector.Length != collection.Space.Dimensions)
        {
            throw ApiException.BadRequest($"Wrong input: Vector dimension error: expected dim: {collection.Space.Dimensions}, got {vector.Length}", vectorPath);
        }

        return await collection.SearchAsync(query.DenseSearch(vector, excluded));
    }

    /// <summary>
    /// Qdrant's recommend with the average_vector strategy: the examples' vectors (ids fetched from their shards, and
    /// left out of the answer) averaged into one query as <see cref="Recommender.AverageQuery"/> builds it for a single
    /// collection, then searched over every shard. best_score and sum_scores score every point against every example,
    /// a scan cluster mode does not run yet.
    /// </summary>
    public static async Task<IReadOnlyList<SearchHit>> Recommend(DistributedCollection collection, RecommendStrategy strategy, IReadOnlyList<GivenExample> positive, IReadOnlyList<GivenExample> negative, HitSelection query, string at, ServerOptions options)
    {
        if (strategy != RecommendStrategy.AverageVector)
        {
            throw ApiException.BadRequest(
                $"{(strategy == RecommendStrategy.BestScore ? "best_score" : "sum_scores")} is not yet supported for distributed collections in cluster mode; use average_vector (or leave strategy out).",
                at + "strategy");
        }

        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var positives = await Vectors(collection, positive, at + "positive", excluded, options.Limits);
        var negatives = await Vectors(collection, negative, at + "negative", excluded, options.Limits);
        Recommendations.Check(strategy, positives.Count, negatives.Count, at + "positive");
        return await Nearest(collection, Recommender.AverageQuery(positives, negatives), query, excluded);
    }

    /// <summary>POST /collections/{name}/points/search: a vector, or Quiver's text embedded by the collection's model.</summary>
    public static async Task<IResult> Search(DistributedCollection collection, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Search);
        return QdrantJson.Ok(context, await SearchOne(collection, request, "", collections, batcher, options, context.RequestAborted));
    }

    /// <summary>POST /collections/{name}/points/search/batch: the searches answered in order.</summary>
    public static async Task<IResult> SearchBatch(DistributedCollection collection, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.SearchBatch);
        var searches = PointsEndpoints.Entries(request.Searches, options.Limits);
        var answers = new JsonArray();
        for (var i = 0; i < searches.Length; i++)
        {
            answers.Add(await SearchOne(collection, searches[i], $"searches[{i}].", collections, batcher, options, context.RequestAborted));
        }

        return QdrantJson.Ok(context, answers);
    }

    // One search, its fields' paths starting with "at" (empty for the single route, "searches[2]." in a batch).
    private static async Task<JsonArray> SearchOne(DistributedCollection collection, SearchPointsRequest request, string at, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken)
    {
        var vector = request switch
        {
            { Vector: { } given } => given,
            { Text: { } text } => await EmbedQuery(collection, JsonFields.Text(text, at + "text", options.Limits), collections, batcher, options, cancellationToken),
            _ => throw ApiException.BadRequest("is required: an array of numbers (or Quiver's \"text\").", at + "vector"),
        };
        return new JsonArray([.. Records(await Nearest(collection, vector, Selection(request, at, options), excluded: null, at + "vector"), request, at)]);
    }

    /// <summary>POST /collections/{name}/points/recommend.</summary>
    public static async Task<IResult> RecommendRoute(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Recommend);
        return QdrantJson.Ok(context, await RecommendOne(collection, request, "", options));
    }

    /// <summary>POST /collections/{name}/points/recommend/batch: the recommendations answered in order.</summary>
    public static async Task<IResult> RecommendBatch(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.RecommendBatch);
        var recommendations = PointsEndpoints.Entries(request.Searches, options.Limits);
        var answers = new JsonArray();
        for (var i = 0; i < recommendations.Length; i++)
        {
            answers.Add(await RecommendOne(collection, recommendations[i], $"searches[{i}].", options));
        }

        return QdrantJson.Ok(context, answers);
    }

    private static async Task<JsonArray> RecommendOne(DistributedCollection collection, RecommendPointsRequest request, string at, ServerOptions options)
    {
        var unsupported = request.Using is not null ? "using" : request.LookupFrom is not null ? "lookup_from" : null;
        if (unsupported is not null)
        {
            throw ApiException.BadRequest($"is not supported: Quiver collections hold one unnamed vector and recommend from their own points. Leave {unsupported} out.", at + unsupported);
        }

        var hits = await Recommend(collection, Strategy(request.Strategy), Examples(request.Positive, at + "positive"), Examples(request.Negative, at + "negative"), Selection(request, at, options), at, options);
        return new JsonArray([.. Records(hits, request, at)]);
    }

    /// <summary>POST /collections/{name}/points/query: a vector, a point id, a text, a recommendation, or none (the first points).</summary>
    public static async Task<IResult> Query(DistributedCollection collection, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Query, allowEmpty: true);
        return QdrantJson.Ok(context, await QueryOne(collection, request, "", collections, batcher, options, context.RequestAborted));
    }

    /// <summary>POST /collections/{name}/points/query/batch: the queries answered in order.</summary>
    public static async Task<IResult> QueryBatch(DistributedCollection collection, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.QueryBatch);
        var queries = PointsEndpoints.Entries(request.Searches, options.Limits);
        var answers = new JsonArray();
        for (var i = 0; i < queries.Length; i++)
        {
            answers.Add(await QueryOne(collection, queries[i], $"searches[{i}].", collections, batcher, options, context.RequestAborted));
        }

        return QdrantJson.Ok(context, answers);
    }

    // One query, its fields' paths starting with "at" (empty for the single route, "searches[2]." in a batch).
    private static async Task<JsonObject> QueryOne(DistributedCollection collection, QueryPointsRequest request, string at, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options, CancellationToken cancellationToken)
    {
        PointsEndpoints.RefuseUnsupported(request, at);

        var query = request.Query?.Json;
        var queryPath = at + "query";
        if (query is JsonObject nearest && nearest["nearest"] is { } inner)
        {
            query = inner;
            queryPath += ".nearest";
        }

        var excluded = new HashSet<string>(StringComparer.Ordinal);
        float[] vector;
        switch (query)
        {
            case null:
                var limit = request.Limit is { } l ? JsonFields.Within(l, 1, options.Limits.MaxPointsPerRequest, at + "limit") : 10;
                var payload = PayloadSelector.Parse(request.WithPayload?.Json, at + "with_payload", fallback: false);
                var withVector = request.WithVector ?? request.WithVectors ?? false;
                var page = await collection.ScrollAsync(limit, null, QdrantFilters.Parse(request.Filter?.Json, at + "filter"), withVector);
                return new JsonObject
                {
                    ["points"] = new JsonArray([.. page.Points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]),
                };
            case JsonObject recommend when recommend["recommend"] is { } examples:
                var recommendPath = $"{queryPath}.recommend";
                var input = examples is JsonObject
                    ? RequestBody.Parse(examples, RequestTypes.RecommendInput, recommendPath + ".")
                    : throw JsonFields.Wrong(recommendPath, "an object with positive and negative examples and a strategy", examples);
                var recommended = await Recommend(collection, Strategy(input.Strategy), Examples(input.Positive, recommendPath + ".positive"), Examples(input.Negative, recommendPath + ".negative"), Selection(request, at, options), recommendPath + ".", options);
                return new JsonObject { ["points"] = new JsonArray([.. Records(recommended, request, at)]) };
            case JsonArray:
                vector = JsonFields.Vector(query, queryPath);
                break;
            case JsonObject document when document["text"] is { } text:
                vector = await EmbedQuery(collection, JsonFields.Text(text, $"{queryPath}.text", options.Limits), collections, batcher, options, cancellationToken);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number || (value.GetValueKind() == JsonValueKind.String && PointIds.TryParseUuid(value.GetValue<string>(), out _)):
                var id = PointIds.Parse(value, queryPath);
                excluded.Add(id);
                vector = (await collection.GetAsync([id])).FirstOrDefault()?.Vector ?? throw ApiException.NotFound($"Not found: No point with id {value.ToJsonString()} found", queryPath);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                vector = await EmbedQuery(collection, JsonFields.Text(value, queryPath, options.Limits), collections, batcher, options, cancellationToken);
                break;
            default:
                throw ApiException.BadRequest("must be a vector, {\"nearest\": vector}, {\"recommend\": {positive, negative, strategy}}, a point id, or text ({\"text\": \"...\"}).", queryPath);
        }

        var hits = await Nearest(collection, vector, Selection(request, at, options), excluded.Count == 0 ? null : excluded, queryPath);
        return new JsonObject { ["points"] = new JsonArray([.. Records(hits, request, at)]) };
    }

    /// <summary>
    /// POST /collections/{name}/context: the single-node context code (the request's checks, the retriever choosing
    /// passages within the budget, the answer) over the distributed collection's merged dense, keyword or hybrid search.
    /// </summary>
    public static async Task<IResult> Context(DistributedCollection collection, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var given = await RequestBody.Read(context, options.Limits, RequestTypes.Context);
        var request = ContextEndpoints.Request(given, collection.Name, collection.Space, options);
        var model = collection.Space.IsRaw ? null : collections.ModelFor(collection.Name, collection.Space);
        var result = await ContextEndpoints.Retrieve(model, collection.Space, batcher, options, request, (search, _) => collection.SearchAsync(search), context.RequestAborted);
        return QdrantJson.Ok(context, ContextEndpoints.Answer(result));
    }

    /// <summary>The examples as given (point ids or vectors), checked in number.</summary>
    public static List<GivenExample> Examples(RecommendExample?[]? examples, string path) =>
        examples is null
            ? []
            : [.. examples.Select((example, i) => example?.Vector is { } vector
                ? new GivenExample(null, vector, $"{path}[{i}]", "")
                : new GivenExample(PointIds.Given(example?.Id, $"{path}[{i}]"), null, $"{path}[{i}]", example!.Id!.Shown))];

    // The examples' vectors in the order given; stored points are fetched from their shards in one read each.
    private static async Task<List<float[]>> Vectors(DistributedCollection collection, IReadOnlyList<GivenExample> examples, string field, HashSet<string> excluded, ServerLimits limits)
    {
        if (examples.Count > limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"holds {examples.Count} examples; at most {limits.MaxPointsPerRequest} are accepted.", field);
        }

        var ids = examples.Where(e => e.Vector is null).Select(e => e.Id!).ToList();
        var stored = ids.Count == 0
            ? []
            : (await collection.GetAsync(ids, withVectors: true)).ToDictionary(p => p.Id, p => p.Vector, StringComparer.Ordinal);
        var vectors = new List<float[]>(examples.Count);
        foreach (var example in examples)
        {
            if (example.Vector is { } vector)
            {
                if (vector.Length != collection.Space.Dimensions)
                {
                    throw ApiException.BadRequest($"Wrong input: Vector dimension error: expected dim: {collection.Space.Dimensions}, got {vector.Length}", example.Path);
                }

                vectors.Add(vector);
                continue;
            }

            vectors.Add(stored.GetValueOrDefault(example.Id!) ?? throw ApiException.NotFound($"Not found: No point with id {example.Shown} found", example.Path));
            excluded.Add(example.Id!);
        }

        return vectors;
    }

    private static RecommendStrategy Strategy(RecommendStrategyName? name) => name switch
    {
        RecommendStrategyName.BestScore => RecommendStrategy.BestScore,
        RecommendStrategyName.SumScores => RecommendStrategy.SumScores,
        _ => RecommendStrategy.AverageVector,
    };

    private static HitSelection Selection(NearestRequest request, string at, ServerOptions options)
    {
        var limits = options.Limits;
        var limit = request.Limit is { } l ? JsonFields.Within(l, 1, limits.MaxPointsPerRequest, at + "limit") : 10;
        var offset = request.Offset is { } o ? JsonFields.Within(o, 0, limits.MaxPointsPerRequest, at + "offset") : 0;
        var filter = QdrantFilters.Parse(request.Filter?.Json, at + "filter");
        var withVector = request.WithVector ?? request.WithVectors ?? false;
        var ef = request.Params?.HnswEf is { } given ? JsonFields.Within(given, 1, 100_000, at + "params.hnsw_ef") : (int?)null;
        return new HitSelection(limit, offset, request.ScoreThreshold, filter, ef, request.Params?.Exact == true, withVector);
    }

    private static IEnumerable<JsonNode> Records(IReadOnlyList<SearchHit> hits, NearestRequest request, string at)
    {
        var payload = PayloadSelector.Parse(request.WithPayload?.Json, at + "with_payload", fallback: false);
        var withVector = request.WithVector ?? request.WithVectors ?? false;
        return hits.Select(h => (JsonNode)QdrantJson.Record(new Point(h.Id, h.Vector ?? [], h.Payload, h.Text), payload, withVector, h.Score));
    }
}
