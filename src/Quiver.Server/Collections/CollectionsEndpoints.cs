using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Server.Cluster;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Server.Security;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Server.Collections;

/// <summary>
/// Qdrant's collection routes: create (PUT), get, exists, list, delete, and payload indexes. Quiver's extension: a
/// "model" field at creation binds the collection to an installed text model, so points and queries can be text.
/// </summary>
internal static class CollectionsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/collections", List).WithName("get_collections").WithSummary("List collections").WithTags("collections")
            .Produces<QdrantResponse<CollectionList>>();
        routes.MapPut("/collections/{name}", Create).RequiresWrite().WithName("create_collection").WithSummary("Create a collection (vectors: size, distance; or model)").WithTags("collections")
            .Accepts<CreateCollectionRequest>("application/json").Produces<QdrantResponse<bool>>();
        routes.MapGet("/collections/{name}", Get).WithName("get_collection").WithSummary("Collection info").WithTags("collections")
            .Produces<QdrantResponse<CollectionDescription>>();
        routes.MapGet("/collections/{name}/exists", Exists).WithName("collection_exists").WithSummary("Whether a collection exists").WithTags("collections")
            .Produces<QdrantResponse<CollectionExistence>>();
        routes.MapDelete("/collections/{name}", Delete).RequiresWrite().WithName("delete_collection").WithSummary("Delete a collection (true if it existed)").WithTags("collections")
            .Produces<QdrantResponse<bool>>();
        routes.MapPut("/collections/{name}/index", CreateIndex).RequiresWrite().WithName("create_field_index").WithSummary("Create a payload index (keyword, integer, float)").WithTags("collections")
            .Accepts<CreateFieldIndexRequest>("application/json").Produces<QdrantResponse<UpdateResult>>();
    }

    // In cluster mode the cluster's distributed collections are listed after the local ones.
    private static async Task<IResult> List(HttpContext context, ServedCollections collections, DistributedCollections distributed) =>
        QdrantJson.Ok(context, new JsonObject
        {
            ["collections"] = new JsonArray([.. collections.Names.Concat(await distributed.Names()).Distinct(StringComparer.Ordinal).Select(n => (JsonNode)new JsonObject { ["name"] = n })]),
        });

    private static async Task<IResult> Create(string name, HttpContext context, ServedCollections collections, ServedModels models, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.CreateCollection);
        var hnsw = request.HnswConfig;
        var m = hnsw?.M is { } links ? JsonFields.Within(links, CollectionSettings.MinM, CollectionSettings.MaxM, "hnsw_config.m") : (int?)null;
        var efConstruct = hnsw?.EfConstruct is { } ef ? JsonFields.Within(ef, CollectionSettings.MinEfConstruct, CollectionSettings.MaxEfConstruct, "hnsw_config.ef_construct") : (int?)null;
        var metric = request.Vectors is { } vectors ? CollectionSettings.Distance(vectors.Distance) : (DistanceMetric?)null;
        collections.Create(name, CollectionSettings.Options(models, request.Model, request.Vectors?.Size, metric, m, efConstruct));
        return QdrantJson.Ok(context, true);
    }

    private static IResult Get(string name, HttpContext context, ServedCollections collections)
    {
        var collection = collections.Get(name);
        var info = collection.Info();
        var schema = new JsonObject();
        foreach (var (field, kind) in collection.PayloadIndexes)
        {
            schema[field] = new JsonObject { ["data_type"] = kind.ToString().ToLowerInvariant() };
        }

        return QdrantJson.Ok(context, new JsonObject
        {
            ["status"] = "green",
            ["optimizer_status"] = "ok",
            ["vectors_count"] = info.Count,
            ["indexed_vectors_count"] = info.Count,
            ["points_count"] = info.Count,
            ["segments_count"] = 1,
            ["config"] = new JsonObject
            {
                ["params"] = new JsonObject
                {
                    ["vectors"] = new JsonObject { ["size"] = collection.Dimensions, ["distance"] = CollectionSettings.DistanceName(collection.Space.Metric) },
                    ["shard_number"] = 1,
                    ["replication_factor"] = 1,
                    ["write_consistency_factor"] = 1,
                    ["on_disk_payload"] = true,
                },
                ["hnsw_config"] = new JsonObject
                {
                    ["m"] = collection.IndexOptions.Hnsw.M,
                    ["ef_construct"] = collection.IndexOptions.Hnsw.EfConstruction,
                    ["full_scan_threshold"] = collection.IndexOptions.ExactThreshold,
                },
                ["optimizer_config"] = new JsonObject(),
                ["wal_config"] = new JsonObject(),
                ["quantization_config"] = null,
            },
            ["payload_schema"] = schema,
            ["quiver"] = new JsonObject
            {
                ["model"] = collection.Space.IsRaw ? null : collection.Space.ModelId,
                ["revision"] = collection.Space.Revision,
                ["sequence"] = info.Sequence,
            },
        });
    }

    private static IResult Exists(string name, HttpContext context, ServedCollections collections)
    {
        Quiver.Core.ResourceName.Validate(name, "collection");
        return QdrantJson.Ok(context, new JsonObject { ["exists"] = collections.Exists(name) });
    }

    private static IResult Delete(string name, HttpContext context, ServedCollections collections) =>
        QdrantJson.Ok(context, collections.Delete(name));

    private static async Task<IResult> CreateIndex(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.CreateFieldIndex);
        var field = request.FieldName;
        if (string.IsNullOrEmpty(field))
        {
            throw ApiException.BadRequest("is required: the payload field to index.", "field_name");
        }

        var kind = CollectionSettings.IndexKind(request.FieldSchema?.Type);
        collection.CreatePayloadIndex(field, kind);
        return QdrantJson.Ok(context, QdrantJson.Operation(collection.Sequence()));
    }
}
