using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Analysis.Clustering;
using Quiver.Analysis.Topics;
using Quiver.Core.Distances;
using Quiver.Server.Collections;
using Quiver.Server.Http;

namespace Quiver.Server.Explorer;

/// <summary>
/// <c>POST /collections/{name}/clusters</c>: k-means over the collection's points (or the same seeded sample the
/// projection route maps), each cluster's topic keywords by class-based TF-IDF and its most central points; what
/// <c>quiver cluster --topics</c> prints, for the explorer's clusters panel and its colouring.
/// </summary>
internal static class ClustersEndpoints
{
    public const int DefaultK = 8;
    public const int DefaultLimit = 5000;

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/collections/{name}/clusters", Cluster)
            .WithName("cluster_points").WithSummary("k-means clusters of the collection's points with topic keywords (class-based TF-IDF) and each point's cluster").WithTags("analysis")
            .Accepts<ClustersRequest>(isOptional: true, "application/json").Produces<QdrantResponse<ClustersAnswer>>();

    private static async Task<IResult> Cluster(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Clusters, allowEmpty: true);
        var k = request.K is { } given ? JsonFields.Within(given, 1, 1000, "k") : DefaultK;
        var keywords = request.Keywords is { } words ? JsonFields.Within(words, 1, 50, "keywords") : 8;
        var seed = request.Seed ?? 42;
        var maxLimit = options.Limits.MaxPointsPerRequest;
        var limit = request.Limit is { } most ? JsonFields.Within(most, 2, maxLimit, "limit") : Math.Min(DefaultLimit, maxLimit);

        var sample = await Task.Run(() => CollectionSample.Draw(collection, limit, seed), context.RequestAborted);
        var count = sample.Points.Count;
        if (count < k)
        {
            throw ApiException.BadRequest($"is {k} but the collection holds {count} point(s); give a k of at most {Math.Max(1, count)}.", "k");
        }

        var dimensions = collection.Dimensions;
        var (topics, labels) = await Task.Run(
            () =>
            {
                var vectors = Rows(sample, dimensions, unit: collection.Space.Metric == DistanceMetric.Cosine);
                var fit = KMeans.Fit(vectors, dimensions, new KMeansOptions { K = k, Inits = 3, Seed = seed }, cancellationToken: context.RequestAborted);
                var texts = sample.Points.Select(TextOf).ToList();
                return (ClassTfIdf.Describe(texts, fit.Labels, vectors, dimensions, keywords, representatives: 3), fit.Labels);
            },
            context.RequestAborted);

        var clusters = new JsonArray();
        foreach (var topic in topics)
        {
            clusters.Add(new JsonObject
            {
                ["cluster"] = topic.Cluster,
                ["size"] = topic.Size,
                ["name"] = topic.Name,
                ["keywords"] = new JsonArray([.. topic.Keywords.Select(w => (JsonNode)new JsonObject { ["word"] = w.Word, ["weight"] = Math.Round(w.Weight, 6) })]),
                ["representatives"] = new JsonArray([.. topic.Representatives.Select(i => QdrantJson.Id(sample.Points[i].Id))]),
            });
        }

        var points = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            points.Add(new JsonObject { ["id"] = QdrantJson.Id(sample.Points[i].Id), ["cluster"] = labels[i] });
        }

        return QdrantJson.Ok(context, new JsonObject
        {
            ["k"] = k,
            ["seed"] = seed,
            ["sequence"] = sample.Sequence,
            ["total"] = sample.Total,
            ["sampled"] = sample.Sampled,
            ["clusters"] = clusters,
            ["points"] = points,
        });
    }

    /// <summary>The text a point's topic words come from: its stored text, else a "text" payload field.</summary>
    internal static string? TextOf(Quiver.Store.Collections.Point point) =>
        point.Text ?? (point.Payload?["text"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null);

    /// <summary>The sample's vectors as one row-major array; scaled to unit length for a cosine collection, so k-means and kNN rank as cosine does.</summary>
    internal static float[] Rows(CollectionSample sample, int dimensions, bool unit)
    {
        var rows = new float[sample.Points.Count * dimensions];
        for (var i = 0; i < sample.Points.Count; i++)
        {
            var row = rows.AsSpan(i * dimensions, dimensions);
            sample.Points[i].Vector.CopyTo(row);
            var norm = unit ? TensorPrimitives.Norm(row) : 0;
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }

        return rows;
    }
}
