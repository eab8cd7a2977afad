using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Analysis.Outliers;
using Quiver.Core.Distances;
using Quiver.Server.Collections;
using Quiver.Server.Http;

namespace Quiver.Server.Explorer;

/// <summary>
/// <c>POST /collections/{name}/outliers</c>: each point's outlier score (local outlier factor or mean kNN distance)
/// over the collection or the same seeded sample the projection route maps, and the top outliers with their text and
/// payload; what <c>quiver outliers</c> prints, for the explorer's outliers panel and its colouring.
/// </summary>
internal static class OutliersEndpoints
{
    public const int DefaultNeighbours = 20;

    // Exact kNN over the sample is quadratic: 5,000 points take seconds on two cores, which an open page can wait for.
    public const int DefaultLimit = 5000;

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/collections/{name}/outliers", Score)
            .WithName("outlier_points").WithSummary("Each point's outlier score (local outlier factor or kNN distance) and the top outliers").WithTags("analysis")
            .Accepts<OutliersRequest>(isOptional: true, "application/json").Produces<QdrantResponse<OutliersAnswer>>();

    private static async Task<IResult> Score(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Outliers, allowEmpty: true);
        var method = request.Method == OutlierMethodName.KnnDistance ? OutlierMethod.KnnDistance : OutlierMethod.Lof;
        int? neighbours = request.K is { } near ? JsonFields.Within(near, 1, 1000, "k") : null;
        var top = request.Top is { } given ? JsonFields.Within(given, 1, 1000, "top") : 10;
        var seed = request.Seed ?? 42;
        var maxLimit = options.Limits.MaxPointsPerRequest;
        var limit = request.Limit is { } most ? JsonFields.Within(most, 3, maxLimit, "limit") : Math.Min(DefaultLimit, maxLimit);

        var sample = await Task.Run(() => CollectionSample.Draw(collection, limit, seed), context.RequestAborted);
        var count = sample.Points.Count;
        if (count < 3)
        {
            throw ApiException.BadRequest($"Outlier scores compare each point with its neighbours; collection `{name}` holds {count} point(s). Add at least 3.");
        }

        var k = neighbours ?? Math.Min(DefaultNeighbours, count - 1);
        if (k >= count)
        {
            throw ApiException.BadRequest($"is {k} but the collection holds {count} points; give a k of at most {count - 1}.", "k");
        }

        var dimensions = collection.Dimensions;
        var scores = await Task.Run(
            () =>
            {
                var rows = ClustersEndpoints.Rows(sample, dimensions, unit: collection.Space.Metric == DistanceMetric.Cosine);
                var vectors = Enumerable.Range(0, count).Select(i => rows.AsSpan(i * dimensions, dimensions).ToArray()).ToList();
                return OutlierScores.Compute(vectors, k, method, context.RequestAborted);
            },
            context.RequestAborted);

        var ranked = Enumerable.Range(0, count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(top);
        var points = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            points.Add(new JsonObject { ["id"] = QdrantJson.Id(sample.Points[i].Id), ["score"] = Math.Round(scores[i], 6) });
        }

        return QdrantJson.Ok(context, new JsonObject
        {
            ["method"] = method == OutlierMethod.KnnDistance ? "knn_distance" : "lof",
            ["k"] = k,
            ["seed"] = seed,
            ["sequence"] = sample.Sequence,
            ["total"] = sample.Total,
            ["sampled"] = sample.Sampled,
            ["median"] = Math.Round(scores.Order().ElementAt(count / 2), 6),
            ["top"] = new JsonArray([.. ranked.Select(i => (JsonNode)new JsonObject
            {
                ["id"] = QdrantJson.Id(sample.Points[i].Id),
                ["score"] = Math.Round(scores[i], 6),
                ["text"] = ClustersEndpoints.TextOf(sample.Points[i]),
                ["payload"] = sample.Points[i].Payload?.DeepClone(),
            })]),
            ["points"] = points,
        });
    }
}
