using System.Text.Json.Nodes;
using Grpc.Core;
using Quiver.Cluster;
using Quiver.Server.Cluster;
using Quiver.Server.Collections;
using Quiver.Server.Http;
using Quiver.Store.Recommendation;
using Q = Qdrant.Client.Grpc;

namespace Quiver.Server.Grpc;

// Qdrant's Points calls on a distributed collection (cluster mode): the messages are read by the same helpers as a
// local collection's, and answered by the distributed operations the REST routes use (DistributedText, and the
// DistributedCollection itself), so both APIs answer a distributed collection alike.
internal sealed partial class PointsService
{
    private async Task<Q.GetResponse> Get(DistributedCollection collection, Q.GetPoints request, long started)
    {
        var ids = GrpcPointIds.ParseMany(request.Ids, "ids", Limits.MaxPointsPerRequest);
        var payload = GrpcSelectors.Payload(request.WithPayload, fallback: true);
        var withVector = GrpcSelectors.Vectors(request.WithVectors, fallback: false);
        var response = new Q.GetResponse();
        response.Result.AddRange((await collection.GetAsync(ids, withVector)).Select(p => GrpcRecords.Retrieved(p, payload, withVector)));
        response.Time = Elapsed(started);
        return response;
    }

    private async Task<Q.PointsOperationResponse> Delete(DistributedCollection collection, Q.DeletePoints request, long started)
    {
        var (ids, _) = GrpcSelectors.Points(request.Points, Limits);
        await collection.DeleteAsync(ids ?? throw ApiException.BadRequest("delete by filter is not yet supported for distributed collections in cluster mode; give the point ids.", "points"));
        return new Q.PointsOperationResponse { Result = GrpcRecords.Completed(0), Time = Elapsed(started) };
    }

    private async Task<List<Q.ScoredPoint>> Search(DistributedCollection collection, Q.SearchPoints request)
    {
        GrpcSelectors.Unnamed(request.HasVectorName ? request.VectorName : null, "vector_name");
        if (request.SparseIndices is not null)
        {
            throw ApiException.BadRequest("sparse vectors are not supported: Quiver collections hold one dense vector.", "sparse_indices");
        }

        var selection = Selection(request.Limit, request.HasOffset ? request.Offset : 0, request.HasScoreThreshold ? request.ScoreThreshold : null, request.Filter, request.Params, request.WithVectors);
        var payload = GrpcSelectors.Payload(request.WithPayload, fallback: false);
        var hits = await DistributedText.Nearest(collection, [.. request.Vector], selection, excluded: null);
        return [.. hits.Select(h => GrpcRecords.Scored(h, h.Vector, payload, selection.WithVector))];
    }

    private async Task<Q.QueryResponse> Query(DistributedCollection collection, Q.QueryPoints request, long started, ServerCallContext context)
    {
        var response = new Q.QueryResponse();
        var payload = GrpcSelectors.Payload(request.WithPayload, fallback: false);
        var limit = request.HasLimit ? JsonFields.Within((long)Math.Min(request.Limit, int.MaxValue), 1, Limits.MaxPointsPerRequest, "limit") : 10;
        switch (request.Query?.VariantCase)
        {
            case null or Q.Query.VariantOneofCase.None:
                var withVector = GrpcSelectors.Vectors(request.WithVectors, fallback: false);
                var page = await collection.ScrollAsync(limit, null, GrpcFilters.Parse(request.Filter, "filter"), withVector);
                response.Result.AddRange(page.Points.Select(p => GrpcRecords.Unscored(p, payload, withVector)));
                break;
            case Q.Query.VariantOneofCase.Nearest:
                var excluded = new HashSet<string>(StringComparer.Ordinal);
                var vector = await Input(collection, request.Query.Nearest, "query", excluded, context);
                var selection = Selection((ulong)limit, request.HasOffset ? request.Offset : 0, request.HasScoreThreshold ? request.ScoreThreshold : null, request.Filter, request.Params, request.WithVectors);
                var hits = await DistributedText.Nearest(collection, vector, selection, excluded.Count == 0 ? null : excluded, "query");
                response.Result.AddRange(hits.Select(h => GrpcRecords.Scored(h, h.Vector, payload, selection.WithVector)));
                break;
            case Q.Query.VariantOneofCase.Recommend:
                var recommend = request.Query.Recommend;
                var chosen = Selection((ulong)limit, request.HasOffset ? request.Offset : 0, request.HasScoreThreshold ? request.ScoreThreshold : null, request.Filter, request.Params, request.WithVectors);
                var recommended = await DistributedText.Recommend(
                    collection,
                    Strategy(recommend.HasStrategy ? recommend.Strategy : null),
                    Examples(recommend.Positive, "query.recommend.positive"),
                    Examples(recommend.Negative, "query.recommend.negative"),
                    chosen,
                    "query.recommend.",
                    options);
                response.Result.AddRange(recommended.Select(h => GrpcRecords.Scored(h, h.Vector, payload, chosen.WithVector)));
                break;
            default:
                throw ApiException.BadRequest($"{request.Query.VariantCase} queries are not supported: give nearest (a vector, a point id or a document's text) or recommend.", "query");
        }

        response.Time = Elapsed(started);
        return response;
    }

    private async Task<Q.RecommendResponse> Recommend(DistributedCollection collection, Q.RecommendPoints request, RecommendStrategy strategy, long started)
    {
        var selection = Selection(request.Limit, request.HasOffset ? request.Offset : 0, request.HasScoreThreshold ? request.ScoreThreshold : null, request.Filter, request.Params, request.WithVectors);
        var hits = await DistributedText.Recommend(
            collection,
            strategy,
            Examples(request.Positive, request.PositiveVectors, "positive"),
            Examples(request.Negative, request.NegativeVectors, "negative"),
            selection,
            "",
            options);
        var payload = GrpcSelectors.Payload(request.WithPayload, fallback: false);
        var response = new Q.RecommendResponse();
        response.Result.AddRange(hits.Select(h => GrpcRecords.Scored(h, h.Vector, payload, selection.WithVector)));
        response.Time = Elapsed(started);
        return response;
    }

    private async Task<float[]> Input(DistributedCollection collection, Q.VectorInput input, string path, HashSet<string> excluded, ServerCallContext context)
    {
        switch (input.VariantCase)
        {
            case Q.VectorInput.VariantOneofCase.Dense:
                return [.. input.Dense.Data];
            case Q.VectorInput.VariantOneofCase.Id:
                var id = GrpcPointIds.Parse(input.Id, path);
                excluded.Add(id);
                return (await collection.GetAsync([id])).FirstOrDefault()?.Vector
                    ?? throw ApiException.NotFound($"Not found: No point with id {GrpcPointIds.Shown(input.Id)} found", path);
            case Q.VectorInput.VariantOneofCase.Document:
                var text = JsonFields.Text(JsonValue.Create(input.Document.Text), $"{path}.document.text", Limits);
                return await DistributedText.EmbedQuery(collection, text, collections, batcher, options, context.CancellationToken);
            default:
                throw ApiException.BadRequest("must be a dense vector, a point id, or a document's text; Quiver collections hold one dense vector.", path);
        }
    }
}
