using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Search;

namespace Quiver.Server.Explorer;

/// <summary>
/// <c>POST /collections/{name}/points/search/text</c>: what <c>quiver search</c> does, over HTTP: dense (the query
/// embedded with the collection's model and its query prompt), keyword (BM25 over the points' text) or hybrid
/// (both, fused by reciprocal rank), with a Qdrant filter. Qdrant's own search routes take one dense query only.
/// </summary>
internal static class TextSearchEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/collections/{name}/points/search/text", Search)
            .WithName("search_text").WithSummary("Dense, keyword (BM25) or hybrid search for a text query, with a filter").WithTags("retrieval")
            .Accepts<TextSearchRequest>("application/json").Produces<QdrantResponse<TextSearchHit[]>>();

    private static async Task<IResult> Search(string name, HttpContext context, ServedCollections collections, EmbeddingBatcher batcher, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.TextSearch);
        var text = request.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.BadRequest("is required: the words to search for.", "text");
        }

        var mode = request.Mode switch
        {
            null => collection.Space.IsRaw ? SearchMode.Keyword : SearchMode.Hybrid,
            TextSearchMode.Dense => SearchMode.Dense,
            TextSearchMode.Keyword => SearchMode.Keyword,
            _ => SearchMode.Hybrid,
        };
        if (mode != SearchMode.Keyword && collection.Space.IsRaw)
        {
            throw ApiException.BadRequest($"is {(mode == SearchMode.Dense ? "dense" : "hybrid")}, but collection `{name}` holds raw vectors and has no model to embed the text with; use keyword.", "mode");
        }

        var limit = request.Limit is { } given ? JsonFields.Within(given, 1, options.Limits.MaxPointsPerRequest, "limit") : 10;
        var filter = QdrantFilters.Parse(request.Filter?.Json, "filter");
        var vector = mode == SearchMode.Keyword ? null : await PointsEndpoints.EmbedQuery(collection, text, collections, batcher, options, context);
        var hits = collection.Search(new SearchRequest
        {
            Vector = vector,
            Text = mode == SearchMode.Dense ? null : text,
            Mode = mode,
            K = limit,
            Filter = filter,
        });
        return QdrantJson.Ok(context, new JsonArray([.. hits.Select(h => (JsonNode)new JsonObject
        {
            ["id"] = QdrantJson.Id(h.Id),
            ["score"] = h.Score,
            ["text"] = h.Text,
            ["payload"] = h.Payload?.DeepClone(),
        })]));
    }
}
