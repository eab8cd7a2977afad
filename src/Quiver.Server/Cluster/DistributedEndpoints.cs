using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Cluster;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Server.Collections;
using Quiver.Server.Http;
using Quiver.Store.Collections;

namespace Quiver.Server.Cluster;

/// <summary>
/// Qdrant's routes over a <see cref="DistributedCollection"/>: create with shard_number and replication_factor, get
/// (with shards, replicas, silos and lag), upsert of vectors, get, search and query by vector, scroll and count
/// (the other writes are in <see cref="DistributedWrites"/>). Bodies are read with the single-node routes' parsers, so a field means the same on both.
/// </summary>
internal static class DistributedEndpoints
{
    /// <summary>Whether a create body asks for Qdrant's shard_number or replication_factor (cluster mode makes it distributed).</summary>
    public static async Task<bool> AsksForShards(HttpContext context, ServerOptions options)
    {
        var body = await JsonBody.ReadObject(context, options.Limits);
        return body["shard_number"] is not null || body["replication_factor"] is not null;
    }

    public static async Task<IResult> Create(string name, HttpContext context, DistributedCollections distributed, ServerOptions options)
    {
        var body = await JsonBody.ReadObject(context, options.Limits);
        if (JsonFields.String(body, "model") is not null)
        {
            throw ApiException.BadRequest("is not yet supported for distributed collections in cluster mode: give {\"size\": N, \"distance\": ...} and send vectors.", "model");
        }

        var vectors = JsonFields.Object(body, "vectors")
            ?? throw ApiException.BadRequest("is required: {\"size\": N, \"distance\": \"Cosine\" | \"Dot\" | \"Euclid\"}.", "vectors");
        var size = JsonFields.Int(vectors, "size", 1, 65_536, "vectors.size") ?? throw ApiException.BadRequest("is required: the vectors' dimensions.", "vectors.size");
        var metric = JsonFields.String(vectors, "distance", "vectors.distance") switch
        {
            "Cosine" => DistanceMetric.Cosine,
            "Dot" => DistanceMetric.Dot,
            "Euclid" => DistanceMetric.Euclidean,
            var other => throw ApiException.BadRequest($"'{other}' is not a distance; use Cosine, Dot or Euclid.", "vectors.distance"),
        };
        var shards = JsonFields.Int(body, "shard_number", 1, 1024) ?? 1;
        var replicas = JsonFields.Int(body, "replication_factor", 1, 16) ?? 1;
        await distributed.Create(name, new DistributedCollectionOptions(EmbeddingSpace.Raw(size, metric), shards, replicas));
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

    public static async Task<IResult> Upsert(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Upsert);
        if (request.Points is not { } given)
        {
            return await DistributedWrites.UpsertBatch(collection, request, context, options);
        }

        PointWrites.Limit(given.Length, "points", options.Limits);
        var points = new List<Point>(given.Length);
        for (var i = 0; i < given.Length; i++)
        {
            var path = $"points[{i}]";
            var point = given[i] ?? throw ApiException.BadRequest("must be a point object with id and vector, not null.", path);
            var vector = point.Vector?.Values
                ?? throw ApiException.BadRequest("needs a vector (an array of numbers): text and named vectors are not yet supported for distributed collections in cluster mode.", $"{path}.vector");
            points.Add(new Point(PointIds.Given(point.Id, $"{path}.id"), vector, point.Payload is { } payload ? new JsonObject(payload) : null));
        }

        try
        {
            await collection.UpsertAsync(points);
        }
        catch (InvalidVectorException e)
        {
            throw ApiException.BadRequest($"Wrong input: {e.Message}", "points");
        }

        return QdrantJson.Ok(context, QdrantJson.Operation(0));
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

    public static async Task<IResult> Search(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Search);
        var vector = request.Vector
            ?? throw ApiException.BadRequest("is required: an array of numbers (text queries are not yet supported for distributed collections in cluster mode).", "vector");
        return QdrantJson.Ok(context, new JsonArray([.. await Nearest(collection, vector, request, options)]));
    }

    public static async Task<IResult> Query(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Query, allowEmpty: true);
        var unsupported = request.Using is not null ? "using" : request.Prefetch is not null ? "prefetch" : null;
        if (unsupported is not null)
        {
            throw ApiException.BadRequest($"is not supported: Quiver runs one query on one unnamed vector. Leave {unsupported} out.", unsupported);
        }

        var query = request.Query?.Json;
        if (query is JsonObject nearest && nearest["nearest"] is { } inner)
        {
            query = inner;
        }

        switch (query)
        {
            case null:
                var limit = request.Limit is { } l ? JsonFields.Within(l, 1, options.Limits.MaxPointsPerRequest, "limit") : 10;
                var payload = PayloadSelector.Parse(request.WithPayload?.Json, "with_payload", fallback: false);
                var withVector = request.WithVector ?? request.WithVectors ?? false;
                var page = await collection.ScrollAsync(limit, null, QdrantFilters.Parse(request.Filter?.Json, "filter"), withVector);
                return QdrantJson.Ok(context, new JsonObject
                {
                    ["points"] = new JsonArray([.. page.Points.Select(p => (JsonNode)QdrantJson.Record(p, payload, withVector))]),
                });
            case JsonArray:
                return QdrantJson.Ok(context, new JsonObject { ["points"] = new JsonArray([.. await Nearest(collection, JsonFields.Vector(query, "query"), request, options)]) });
            default:
                throw ApiException.BadRequest("must be a vector or {\"nearest\": vector} for a distributed collection in cluster mode (point ids and text are not yet supported there).", "query");
        }
    }

    private static async Task<List<JsonNode>> Nearest(DistributedCollection collection, float[] vector, NearestRequest request, ServerOptions options)
    {
        var limits = options.Limits;
        var limit = request.Limit is { } l ? JsonFields.Within(l, 1, limits.MaxPointsPerRequest, "limit") : 10;
        var offset = request.Offset is { } o ? JsonFields.Within(o, 0, limits.MaxPointsPerRequest, "offset") : 0;
        var threshold = request.ScoreThreshold;
        var filter = QdrantFilters.Parse(request.Filter?.Json, "filter");
        var payload = PayloadSelector.Parse(request.WithPayload?.Json, "with_payload", fallback: false);
        var withVector = request.WithVector ?? request.WithVectors ?? false;
        var ef = request.Params?.HnswEf is { } given ? JsonFields.Within(given, 1, 100_000, "params.hnsw_ef") : (int?)null;
        var exact = request.Params?.Exact == true;
        if (vector.Length != collection.Space.Dimensions)
        {
            throw ApiException.BadRequest($"Wrong input: Vector dimension error: expected dim: {collection.Space.Dimensions}, got {vector.Length}", "vector");
        }

        var k = limit + offset;
        var found = await collection.SearchAsync(vector, k, filter, ef is null ? null : Math.Max(ef.Value, k), exact);
        var lowerIsBetter = collection.Space.Metric == DistanceMetric.Euclidean;
        var hits = found
            .Where(h => threshold is not { } t || (lowerIsBetter ? h.Score <= t : h.Score >= t))
            .Skip(offset)
            .Take(limit)
            .ToList();
        var vectors = withVector ? (await collection.GetAsync([.. hits.Select(h => h.Id)])).ToDictionary(p => p.Id, p => p.Vector, StringComparer.Ordinal) : null;
        return [.. hits.Select(h => (JsonNode)QdrantJson.Record(
            new Point(h.Id, vectors?.GetValueOrDefault(h.Id) ?? [], h.Payload, h.Text), payload, withVector, h.Score))];
    }
}
