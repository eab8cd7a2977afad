using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Cluster;
using Quiver.Core.Distances;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Collections;

namespace Quiver.Server.Cluster;

/// <summary>
/// Qdrant's routes over a <see cref="DistributedCollection"/>: create with shard_number and replication_factor (and
/// Quiver's model), get (with shards, replicas, silos and lag), get points, scroll and count; upsert, search, query,
/// recommend and context are <see cref="DistributedText"/>'s, deletes, payload edits and dropping the collection
/// <see cref="DistributedWrites"/>'. Bodies are read with the single-node routes' parsers, so a field means the same on both.
/// </summary>
internal static class DistributedEndpoints
{
    /// <summary>Whether a create body asks for Qdrant's shard_number or replication_factor (cluster mode makes it distributed).</summary>
    public static async Task<bool> AsksForShards(HttpContext context, ServerOptions options)
    {
        var body = await JsonBody.ReadObject(context, options.Limits);
        return body["shard_number"] is not null || body["replication_factor"] is not null;
    }

    /// <summary>
    /// Creates the distributed collection from the typed create request: raw vectors of a size and distance, or bound
    /// to an installed model (its space, prompts included, travels in the layout, so every silo knows the model).
    /// </summary>
    public static async Task<IResult> Create(string name, HttpContext context, DistributedCollections distributed, ServedModels models, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.DistributedCreate);
        var size = request.Vectors?.Size is { } given ? JsonFields.Within(given, 1, CollectionSettings.MaxDimensions, "vectors.size") : (int?)null;
        var metric = request.Vectors is { } vectors && (vectors.Distance is not null || request.Model is null)
            ? CollectionSettings.Distance(vectors.Distance)
            : (DistanceMetric?)null;
        var space = CollectionSettings.Options(models, request.Model, size, metric, m: null, efConstruct: null).Space;
        var shards = request.ShardNumber is { } s ? JsonFields.Within(s, 1, 1024, "shard_number") : 1;
        var replicas = request.ReplicationFactor is { } r ? JsonFields.Within(r, 1, 16, "replication_factor") : 1;
        await distributed.Create(name, new DistributedCollectionOptions(space, shards, replicas));
        return QdrantJson.Ok(context, true);
    }

    public static async Task<IResult> Get(DistributedCollection collection, HttpContext context)
    {
        var replicas = await collection.InspectAsync();
        var count = await collection.CountAsync();
        var layout = collection.Layout;
        return QdrantJson.Ok(context, new JsonObject
        {
            ["status"] = replicas.All(r => r.State == Quiver.Cluster.Grains.ReplicaState.Live) ? "green" : "yellow",
            ["optimizer_status"] = "ok",
            ["vectors_count"] = count,
            ["indexed_vectors_count"] = count,
            ["points_count"] = count,
            ["segments_count"] = layout.Shards.Length,
            ["config"] = new JsonObject
            {
                ["params"] = new JsonObject
                {
                    ["vectors"] = new JsonObject { ["size"] = collection.Space.Dimensions, ["distance"] = CollectionSettings.DistanceName(collection.Space.Metric) },
                    ["shard_number"] = layout.Shards.Length,
                    ["replication_factor"] = layout.ReplicationFactor,
                    ["write_consistency_factor"] = layout.ReplicationFactor,
                    ["on_disk_payload"] = true,
                },
            },
            ["payload_schema"] = new JsonObject(),
            ["quiver"] = new JsonObject
            {
                ["distributed"] = true,
                ["model"] = collection.Space.IsRaw ? null : collection.Space.ModelId,
                ["revision"] = collection.Space.Revision,
                ["silos"] = new JsonArray([.. replicas.Select(r => r.Silo).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(s => (JsonNode)s)]),
                ["replicas"] = new JsonArray([.. replicas.Select(r => (JsonNode)new JsonObject
                {
                    ["shard"] = r.Shard,
                    ["replica"] = r.Replica,
                    ["silo"] = r.Silo,
                    ["state"] = r.State.ToString().ToLowerInvariant(),
                    ["primary"] = r.Primary,
                    ["operation"] = r.Operation,
                    ["lag"] = r.Lag,
                })]),
            },
        });
    }

    public static async Task<IResult> GetMany(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.GetPoints);
        var ids = PointsEndpoints.Ids(request.Ids ?? throw ApiException.BadRequest("is required.", "ids"), "ids", options.Limits.MaxPointsPerRequest);
        var payload = PayloadSelector.Parse(request.WithPayload?.Json, "with_payload", fallback: true);
        var withVector = request.WithVector ?? request.WithVectors ?? false;
        var points = await collection.GetAsync(ids, withVector);
        return QdrantJson.Ok(context, new JsonArray([.. points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]));
    }

    public static async Task<IResult> GetOne(DistributedCollection collection, HttpContext context)
    {
        var id = context.GetRouteValue("id") as string ?? string.Empty;
        var key = PointIds.ParsePath(id, "id");
        var point = (await collection.GetAsync([key])).FirstOrDefault() ?? throw ApiException.NotFound($"Not found: No point with id {id} found");
        return QdrantJson.Ok(context, QdrantJson.Record(point, PayloadSelector.All, withVector: true));
    }

    public static Task<IResult> Scroll(DistributedCollection collection, HttpContext context, ServerOptions options) =>
        PointsEndpoints.ScrollFrom(context, options, collection.ScrollAsync);

    public static async Task<IResult> Count(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Count, allowEmpty: true);
        return QdrantJson.Ok(context, new JsonObject { ["count"] = await collection.CountAsync(QdrantFilters.Parse(request.Filter?.Json, "filter")) });
    }
}
