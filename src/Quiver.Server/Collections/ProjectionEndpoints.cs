using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Analysis.Projection;
using Quiver.Server.Http;

namespace Quiver.Server.Collections;

/// <summary>
/// <c>POST /collections/{name}/projection</c>: the collection's points mapped to 2-D or 3-D by UMAP, t-SNE or PCA (what
/// <c>quiver project</c> computes), for the explorer page. Answers are cached until the collection changes.
/// </summary>
internal static class ProjectionEndpoints
{
    public const int DefaultLimit = 5000;

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/collections/{name}/projection", Project)
            .WithName("project_points").WithSummary("The collection's points mapped to 2-D or 3-D (UMAP, t-SNE or PCA), cached until the collection changes").WithTags("analysis")
            .Accepts<ProjectionRequest>("application/json").Produces<QdrantResponse<ProjectionAnswer>>();

    private static async Task<IResult> Project(string name, HttpContext context, ServedCollections collections, ProjectionCache cache, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Projection, allowEmpty: true);
        var projection = new ProjectionOptions
        {
            Method = request.Method switch
            {
                ProjectionMethodName.Tsne => ProjectionMethod.Tsne,
                ProjectionMethodName.Pca => ProjectionMethod.Pca,
                _ => ProjectionMethod.Umap,
            },
            Dimensions = request.Dimensions is { } dimensions ? JsonFields.Within(dimensions, 2, 3, "dimensions") : 2,
            Seed = request.Seed ?? 42,
        };
        var maxLimit = options.Limits.MaxPointsPerRequest;
        var limit = request.Limit is { } given ? JsonFields.Within(given, 2, maxLimit, "limit") : Math.Min(DefaultLimit, maxLimit);
        var withPayload = request.WithPayload ?? false;

        var (projected, cached) = await cache.Get(collection, projection, limit, context.RequestAborted);
        var payloads = withPayload
            ? collection.Get(projected.Ids, withVectors: false).ToDictionary(p => p.Id, p => p.Payload, StringComparer.Ordinal)
            : null;
        var points = new JsonArray();
        for (var i = 0; i < projected.Ids.Count; i++)
        {
            var id = projected.Ids[i];
            var point = new JsonObject
            {
                ["id"] = QdrantJson.Id(id),
                ["coordinates"] = new JsonArray([.. projected.Result.Points[i].Select(x => (JsonNode)x)]),
            };
            if (payloads is not null)
            {
                // A point deleted since the projection was computed has no payload to show; it stays on the map until
                // the next request recomputes it.
                point["payload"] = payloads.GetValueOrDefault(id)?.DeepClone();
            }

            points.Add(point);
        }

        return QdrantJson.Ok(context, new JsonObject
        {
            ["method"] = projection.Method switch
            {
                ProjectionMethod.Tsne => "tsne",
                ProjectionMethod.Pca => "pca",
                _ => "umap",
            },
            ["dimensions"] = projection.Dimensions,
            ["seed"] = projection.Seed,
            ["sequence"] = projected.Sequence,
            ["cached"] = cached,
            ["total"] = projected.Total,
            ["sampled"] = projected.Sampled,
            ["explained_variance_ratio"] = new JsonArray([.. projected.Result.ExplainedVarianceRatio.Select(x => (JsonNode)x)]),
            ["points"] = points,
        });
    }
}
