using System.Diagnostics;
using System.Text.Json.Nodes;
using Grpc.Core;
using Quiver.Server.Cluster;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.Recommendation;
using Q = Qdrant.Client.Grpc;

namespace Quiver.Server.Grpc;

/// <summary>
/// Qdrant's <c>qdrant.Points</c> service: upsert, get, delete, payload edits, field indexes, search (and batches),
/// query, scroll, count and recommend. Each call reads its message into the same values the REST route reads from
/// JSON and makes the same store calls (<see cref="PointsEndpoints"/>, <see cref="NearestPoints"/>,
/// <see cref="PointWrites"/>), so both APIs answer and refuse alike. Quiver's extension reaches gRPC through Qdrant's
/// own inference form: a <c>Document</c> (text) as a point's vector or a query is embedded by the collection's model.
/// In cluster mode, calls on a distributed collection go to the same distributed operations the REST routes use
/// (PointsService.Distributed.cs).
/// </summary>
internal sealed partial class PointsService(ServedCollections collections, DistributedCollections distributed, EmbeddingBatcher batcher, ServerOptions options) : Services.Points.PointsBase
{
    private ServerLimits Limits => options.Limits;

    public override async Task<Q.PointsOperationResponse> Upsert(Q.UpsertPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (await distributed.Find(request.CollectionName) is { } spread)
        {
            await DistributedText.Write(spread, Pending(request), collections, batcher, options, context.CancellationToken);
            return new Q.PointsOperationResponse { Result = GrpcRecords.Completed(0), Time = Elapsed(started) };
        }

        var collection = collections.Get(request.CollectionName);
        await PointWrites.Upsert(collection, Pending(request), collections, batcher, options, context.CancellationToken);
        return Done(collection, started);
    }

    // An upsert's points as both kinds of collection write them: each with an id, and a vector or a text to embed.
    private List<PendingPoint> Pending(Q.UpsertPoints request)
    {
        if (request.UpdateFilter is not null)
        {
            throw ApiException.BadRequest("is not supported: Quiver upserts every point given. Leave update_filter out.", "update_filter");
        }

        if (request.HasUpdateMode && request.UpdateMode != Q.UpdateMode.Upsert)
        {
            throw ApiException.BadRequest($"{request.UpdateMode} is not supported: Quiver upserts (inserts or replaces). Leave update_mode out.", "update_mode");
        }

        PointWrites.Limit(request.Points.Count, "points", Limits);
        var parsed = new List<PendingPoint>(request.Points.Count);
        for (var i = 0; i < request.Points.Count; i++)
        {
            var path = $"points[{i}]";
            var point = request.Points[i];
            var id = GrpcPointIds.Parse(point.Id, $"{path}.id");
            if (point.Vectors?.VectorsOptionsCase != Q.Vectors.VectorsOptionsOneofCase.Vector)
            {
                throw point.Vectors is null
                    ? ApiException.BadRequest("needs a vector (or a Document with text, embedded by the collection's model).", path)
                    : ApiException.BadRequest("named vectors are not supported: Quiver collections hold one unnamed vector. Give the vector itself.", $"{path}.vectors");
            }

            var vector = GrpcSelectors.Dense(point.Vectors.Vector, $"{path}.vectors", out var text);
            parsed.Add(new PendingPoint(
                id,
                vector,
                text is null ? null : JsonFields.Text(JsonValue.Create(text), $"{path}.vectors.document.text", Limits),
                point.Payload.Count == 0 ? null : GrpcValues.ToJson(point.Payload, $"{path}.payload")));
        }

        return parsed;
    }

    public override async Task<Q.GetResponse> Get(Q.GetPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (await distributed.Find(request.CollectionName) is { } spread)
        {
            return await Get(spread, request, started);
        }

        var collection = collections.Get(request.CollectionName);
        var ids = GrpcPointIds.ParseMany(request.Ids, "ids", Limits.MaxPointsPerRequest);
        var payload = GrpcSelectors.Payload(request.WithPayload, fallback: true);
        var withVector = GrpcSelectors.Vectors(request.WithVectors, fallback: false);
        var response = new Q.GetResponse();
        response.Result.AddRange(collection.Get(ids, withVector).Select(p => GrpcRecords.Retrieved(p, payload, withVector)));
        response.Time = Elapsed(started);
        return response;
    }

    public override async Task<Q.PointsOperationResponse> Delete(Q.DeletePoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (await distributed.Find(request.CollectionName) is { } spread)
        {
            return await Delete(spread, request, started);
        }

        var collection = collections.Get(request.CollectionName);
        var (ids, filter) = GrpcSelectors.Points(request.Points, Limits);
        if (ids is not null)
        {
            collection.Delete(ids);
        }
        else
        {
            collection.Delete(filter!);
        }

        return Done(collection, started);
    }

    public override Task<Q.PointsOperationResponse> SetPayload(Q.SetPayloadPoints request, ServerCallContext context) =>
        Task.FromResult(SetPayload(request, overwrite: false));

    public override Task<Q.PointsOperationResponse> OverwritePayload(Q.SetPayloadPoints request, ServerCallContext context) =>
        Task.FromResult(SetPayload(request, overwrite: true));

    public override Task<Q.PointsOperationResponse> DeletePayload(Q.DeletePayloadPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var collection = collections.Get(request.CollectionName);
        var (ids, filter) = GrpcSelectors.Points(request.PointsSelector, Limits);
        if (request.Keys.Count == 0)
        {
            throw ApiException.BadRequest("is required: the payload keys to delete.", "keys");
        }

        collection.EditPayload(ids, filter, PayloadChanges.DeleteKeys([.. request.Keys]));
        return Task.FromResult(Done(collection, started));
    }

    public override Task<Q.PointsOperationResponse> ClearPayload(Q.ClearPayloadPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var collection = collections.Get(request.CollectionName);
        var (ids, filter) = GrpcSelectors.Points(request.Points, Limits);
        collection.EditPayload(ids, filter, PayloadChanges.Clear());
        return Task.FromResult(Done(collection, started));
    }

    public override Task<Q.PointsOperationResponse> CreateFieldIndex(Q.CreateFieldIndexCollection request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var collection = collections.Get(request.CollectionName);
        if (string.IsNullOrEmpty(request.FieldName))
        {
            throw ApiException.BadRequest("is required: the payload field to index.", "field_name");
        }

        var kind = CollectionSettings.IndexKind(request.HasFieldType ? request.FieldType.ToString().ToLowerInvariant() : null);
        collection.CreatePayloadIndex(request.FieldName, kind);
        return Task.FromResult(Done(collection, started));
    }

    [Obsolete("Qdrant deprecates it for Query; Quiver serves it for the clients that still call it.")]
    public override async Task<Q.SearchResponse> Search(Q.SearchPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var response = new Q.SearchResponse();
        response.Result.AddRange(await distributed.Find(request.CollectionName) is { } spread ? await Search(spread, request) : SearchOne(request));
        response.Time = Elapsed(started);
        return response;
    }

    [Obsolete("Qdrant deprecates it for Query; Quiver serves it for the clients that still call it.")]
    public override Task<Q.SearchBatchResponse> SearchBatch(Q.SearchBatchPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (request.SearchPoints.Count > Limits.MaxPointsPerRequest)
        {
            throw ApiException.BadRequest($"has {request.SearchPoints.Count} searches; one request takes at most {Limits.MaxPointsPerRequest}.", "search_points");
        }

        var response = new Q.SearchBatchResponse();
        foreach (var search in request.SearchPoints)
        {
            // A batch names its collection once; each search in it may leave its own name out.
            if (string.IsNullOrEmpty(search.CollectionName))
            {
                search.CollectionName = request.CollectionName;
            }

            var batch = new Q.BatchResult();
            batch.Result.AddRange(SearchOne(search));
            response.Result.Add(batch);
        }

        response.Time = Elapsed(started);
        return Task.FromResult(response);
    }

    public override async Task<Q.QueryResponse> Query(Q.QueryPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (request.HasUsing && request.Using.Length > 0)
        {
            throw ApiException.BadRequest("is not supported: Quiver collections hold one unnamed vector. Leave using out.", "using");
        }

        if (request.Prefetch.Count > 0)
        {
            throw ApiException.BadRequest("is not supported: Quiver runs one query per request. Leave prefetch out, and use /context or hybrid search in the CLI for fused results.", "prefetch");
        }

        if (request.LookupFrom is not null)
        {
            throw ApiException.BadRequest("is not supported: Quiver recommends and queries from the collection's own points. Leave lookup_from out.", "lookup_from");
        }

        if (await distributed.Find(request.CollectionName) is { } spread)
        {
            return await Query(spread, request, started, context);
        }

        var collection = collections.Get(request.CollectionName);
        var response = new Q.QueryResponse();
        var payload = GrpcSelectors.Payload(request.WithPayload, fallback: false);
        var limit = request.HasLimit ? JsonFields.Within((long)Math.Min(request.Limit, int.MaxValue), 1, Limits.MaxPointsPerRequest, "limit") : 10;
        switch (request.Query?.VariantCase)
        {
            case null or Q.Query.VariantOneofCase.None:
                // No query: the first points in id order, as Qdrant does.
                var withVector = GrpcSelectors.Vectors(request.WithVectors, fallback: false);
                var page = collection.Scroll(limit, null, GrpcFilters.Parse(request.Filter, "filter"), withVector);
                response.Result.AddRange(page.Points.Select(p => GrpcRecords.Unscored(p, payload, withVector)));
                break;
            case Q.Query.VariantOneofCase.Nearest:
                var excluded = new HashSet<string>(StringComparer.Ordinal);
                var vector = await Input(collection, request.Query.Nearest, "query", excluded, context);
                response.Result.AddRange(Nearest(collection, vector, Selection((ulong)limit, request.HasOffset ? request.Offset : 0, request.HasScoreThreshold ? request.ScoreThreshold : null, request.Filter, request.Params, request.WithVectors), payload, excluded.Count == 0 ? null : excluded));
                break;
            case Q.Query.VariantOneofCase.Recommend:
                var recommend = request.Query.Recommend;
                var strategy = Strategy(recommend.HasStrategy ? recommend.Strategy : null);
                var examples = new HashSet<string>(StringComparer.Ordinal);
                var positive = Recommendations.Vectors(collection, Examples(recommend.Positive, "query.recommend.positive"), "positive", examples, Limits);
                var negative = Recommendations.Vectors(collection, Examples(recommend.Negative, "query.recommend.negative"), "negative", examples, Limits);
                response.Result.AddRange(Recommend(collection, strategy, positive, negative, examples, Selection((ulong)limit, request.HasOffset ? request.Offset : 0, request.HasScoreThreshold ? request.ScoreThreshold : null, request.Filter, request.Params, request.WithVectors), payload));
                break;
            default:
                throw ApiException.BadRequest($"{request.Query.VariantCase} queries are not supported: give nearest (a vector, a point id or a document's text) or recommend.", "query");
        }

        response.Time = Elapsed(started);
        return response;
    }

    public override async Task<Q.ScrollResponse> Scroll(Q.ScrollPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var spread = await distributed.Find(request.CollectionName);
        var collection = spread is null ? collections.Get(request.CollectionName) : null;
        var limit = request.HasLimit ? JsonFields.Within(request.Limit, 1, Limits.MaxPointsPerRequest, "limit") : 10;
        var offset = request.Offset is null ? null : GrpcPointIds.Parse(request.Offset, "offset");
        var filter = GrpcFilters.Parse(request.Filter, "filter");
        if (request.OrderBy is not null)
        {
            throw ApiException.BadRequest("order_by is not supported; points come in id order.", "order_by");
        }

        var payload = GrpcSelectors.Payload(request.WithPayload, fallback: true);
        var withVector = GrpcSelectors.Vectors(request.WithVectors, fallback: false);
        var page = spread is not null ? await spread.ScrollAsync(limit, offset, filter, withVector) : collection!.Scroll(limit, offset, filter, withVector);
        var response = new Q.ScrollResponse();
        response.Result.AddRange(page.Points.Select(p => GrpcRecords.Retrieved(p, payload, withVector)));
        if (page.NextOffset is not null)
        {
            response.NextPageOffset = GrpcPointIds.ToGrpc(page.NextOffset);
        }

        response.Time = Elapsed(started);
        return response;
    }

    public override async Task<Q.CountResponse> Count(Q.CountPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var spread = await distributed.Find(request.CollectionName);
        var collection = spread is null ? collections.Get(request.CollectionName) : null;
        var filter = GrpcFilters.Parse(request.Filter, "filter");
        var count = spread is not null ? await spread.CountAsync(filter) : collection!.Count(filter);
        return new Q.CountResponse { Result = new Q.CountResult { Count = (ulong)count }, Time = Elapsed(started) };
    }

    [Obsolete("Qdrant deprecates it for Query; Quiver serves it for the clients that still call it.")]
    public override async Task<Q.RecommendResponse> Recommend(Q.RecommendPoints request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var spread = await distributed.Find(request.CollectionName);
        var collection = spread is null ? collections.Get(request.CollectionName) : null;
        if (request.HasUsing && request.Using.Length > 0)
        {
            throw ApiException.BadRequest("is not supported: Quiver collections hold one unnamed vector and recommend from their own points. Leave using out.", "using");
        }

        if (request.LookupFrom is not null)
        {
            throw ApiException.BadRequest("is not supported: Quiver collections hold one unnamed vector and recommend from their own points. Leave lookup_from out.", "lookup_from");
        }

        var strategy = Strategy(request.HasStrategy ? request.Strategy : null);
        if (spread is not null)
        {
            return await Recommend(spread, request, strategy, started);
        }

        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var positive = Recommendations.Vectors(collection!, Examples(request.Positive, request.PositiveVectors, "positive"), "positive", excluded, Limits);
        var negative = Recommendations.Vectors(collection!, Examples(request.Negative, request.NegativeVectors, "negative"), "negative", excluded, Limits);
        var selection = Selection(request.Limit, request.HasOffset ? request.Offset : 0, request.HasScoreThreshold ? request.ScoreThreshold : null, request.Filter, request.Params, request.WithVectors);
        var response = new Q.RecommendResponse();
        response.Result.AddRange(Recommend(collection!, strategy, positive, negative, excluded, selection, GrpcSelectors.Payload(request.WithPayload, fallback: false)));
        response.Time = Elapsed(started);
        return response;
    }

    private List<Q.ScoredPoint> Recommend(Collection collection, RecommendStrategy strategy, List<float[]> positive, List<float[]> negative, HashSet<string> excluded, HitSelection selection, PayloadSelector payload)
    {
        Recommendations.Check(strategy, positive.Count, negative.Count);
        var hits = strategy == RecommendStrategy.AverageVector
            ? NearestPoints.Find(collection, Recommender.AverageQuery(positive, negative), selection, excluded)
            : NearestPoints.Find(collection, [], selection, excluded, strategy, positive, negative);
        return [.. hits.Select(h => GrpcRecords.Scored(h.Hit, h.Vector, payload, selection.WithVector))];
    }

    private List<Q.ScoredPoint> SearchOne(Q.SearchPoints request)
    {
        var collection = collections.Get(request.CollectionName);
        GrpcSelectors.Unnamed(request.HasVectorName ? request.VectorName : null, "vector_name");
        if (request.SparseIndices is not null)
        {
            throw ApiException.BadRequest("sparse vectors are not supported: Quiver collections hold one dense vector.", "sparse_indices");
        }

        var selection = Selection(request.Limit, request.HasOffset ? request.Offset : 0, request.HasScoreThreshold ? request.ScoreThreshold : null, request.Filter, request.Params, request.WithVectors);
        var payload = GrpcSelectors.Payload(request.WithPayload, fallback: false);
        return Nearest(collection, [.. request.Vector], selection, payload, excluded: null);
    }

    private static List<Q.ScoredPoint> Nearest(Collection collection, float[] vector, HitSelection selection, PayloadSelector payload, IReadOnlySet<string>? excluded) =>
        [.. NearestPoints.Find(collection, vector, selection, excluded).Select(h => GrpcRecords.Scored(h.Hit, h.Vector, payload, selection.WithVector))];

    // Read in the order REST reads the same fields, so a request wrong in two ways gets the same first complaint.
    private HitSelection Selection(ulong limit, ulong offset, float? threshold, Q.Filter? filter, Q.SearchParams? parameters, Q.WithVectorsSelector? withVectors)
    {
        var max = Limits.MaxPointsPerRequest;
        var count = JsonFields.Within((long)Math.Min(limit, int.MaxValue), 1, max, "limit");
        var skip = JsonFields.Within((long)Math.Min(offset, int.MaxValue), 0, max, "offset");
        var parsed = GrpcFilters.Parse(filter, "filter");
        var withVector = GrpcSelectors.Vectors(withVectors, fallback: false);
        int? ef = parameters is { HasHnswEf: true } ? JsonFields.Within((long)Math.Min(parameters.HnswEf, int.MaxValue), 1, 100_000, "params.hnsw_ef") : null;
        return new HitSelection(count, skip, threshold, parsed, ef, parameters is { HasExact: true, Exact: true }, withVector);
    }

    private async Task<float[]> Input(Collection collection, Q.VectorInput input, string path, HashSet<string> excluded, ServerCallContext context)
    {
        switch (input.VariantCase)
        {
            case Q.VectorInput.VariantOneofCase.Dense:
                return [.. input.Dense.Data];
            case Q.VectorInput.VariantOneofCase.Id:
                var id = GrpcPointIds.Parse(input.Id, path);
                excluded.Add(id);
                return collection.Get(id)?.Vector ?? throw ApiException.NotFound($"Not found: No point with id {GrpcPointIds.Shown(input.Id)} found", path);
            case Q.VectorInput.VariantOneofCase.Document:
                var text = JsonFields.Text(JsonValue.Create(input.Document.Text), $"{path}.document.text", Limits);
                return await PointWrites.EmbedQuery(collection, text, collections, batcher, options, context.CancellationToken);
            default:
                throw ApiException.BadRequest("must be a dense vector, a point id, or a document's text; Quiver collections hold one dense vector.", path);
        }
    }

    private static List<GivenExample> Examples(IEnumerable<Q.VectorInput> inputs, string path) =>
        [.. inputs.Select((input, i) => input.VariantCase switch
        {
            Q.VectorInput.VariantOneofCase.Dense => new GivenExample(null, [.. input.Dense.Data], $"{path}[{i}]", ""),
            Q.VectorInput.VariantOneofCase.Id => new GivenExample(GrpcPointIds.Parse(input.Id, $"{path}[{i}]"), null, $"{path}[{i}]", GrpcPointIds.Shown(input.Id)),
            _ => throw ApiException.BadRequest("must be a point id or a dense vector.", $"{path}[{i}]"),
        })];

    private static List<GivenExample> Examples(IReadOnlyList<Q.PointId> ids, IReadOnlyList<Q.Vector> vectors, string field)
    {
        var examples = ids.Select((id, i) => new GivenExample(GrpcPointIds.Parse(id, $"{field}[{i}]"), null, $"{field}[{i}]", GrpcPointIds.Shown(id))).ToList();
        for (var i = 0; i < vectors.Count; i++)
        {
            var path = $"{field}_vectors[{i}]";
            var vector = GrpcSelectors.Dense(vectors[i], path, out var text) ?? throw ApiException.BadRequest($"is a document ('{text}'); recommend examples are point ids or vectors.", path);
            examples.Add(new GivenExample(null, vector, path, ""));
        }

        return examples;
    }

    private static RecommendStrategy Strategy(Q.RecommendStrategy? strategy) => Recommendations.Strategy(strategy switch
    {
        null or Q.RecommendStrategy.AverageVector => "average_vector",
        Q.RecommendStrategy.BestScore => "best_score",
        Q.RecommendStrategy.SumScores => "sum_scores",
        _ => strategy.ToString(),
    });

    private Q.PointsOperationResponse SetPayload(Q.SetPayloadPoints request, bool overwrite)
    {
        var started = Stopwatch.GetTimestamp();
        var collection = collections.Get(request.CollectionName);
        var (ids, filter) = GrpcSelectors.Points(request.PointsSelector, Limits);
        if (request.HasKey)
        {
            throw ApiException.BadRequest("setting a nested key is not supported; set top-level keys.", "key");
        }

        var payload = GrpcValues.ToJson(request.Payload, "payload");
        collection.EditPayload(ids, filter, overwrite ? PayloadChanges.Overwrite(payload) : PayloadChanges.Merge(payload));
        return Done(collection, started);
    }

    private static Q.PointsOperationResponse Done(Collection collection, long started) =>
        new() { Result = GrpcRecords.Completed(collection.Sequence()), Time = Elapsed(started) };

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;
}
