using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Cluster;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;

namespace Quiver.Server.Cluster;

/// <summary>
/// In cluster mode, sends a request on a /collections/{name} route to <see cref="DistributedEndpoints"/> when the name
/// is a distributed collection (or a create asks for shards or replicas), and refuses the routes that do not work on
/// one yet; every other request goes on to the single-node handlers untouched. Runs after routing, so it knows which
/// route was chosen.
/// </summary>
internal sealed class ClusterDispatch(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, DistributedCollections distributed, ServedCollections collections, ServedModels models, EmbeddingBatcher batcher, ServerOptions options)
    {
        var endpoint = context.GetEndpoint();
        if (!distributed.Enabled
            || endpoint is not RouteEndpoint route
            || route.RoutePattern.RawText?.StartsWith("/collections/{name}", StringComparison.Ordinal) != true
            || context.GetRouteValue("name") is not string name)
        {
            await next(context);
            return;
        }

        var operation = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? route.RoutePattern.RawText;
        var collection = await distributed.Find(name);
        if (collection is null)
        {
            if (operation == "create_collection" && await DistributedEndpoints.AsksForShards(context, options))
            {
                await (await DistributedEndpoints.Create(name, context, distributed, models, options)).ExecuteAsync(context);
                return;
            }

            await next(context);
            return;
        }

        var result = operation switch
        {
            "create_collection" => throw ApiException.BadRequest($"Wrong input: Collection `{name}` already exists (a distributed collection)!"),
            "collection_exists" => QdrantJson.Ok(context, new System.Text.Json.Nodes.JsonObject { ["exists"] = true }),
            "get_collection" => await DistributedEndpoints.Get(collection, context),
            "upsert_points" => await DistributedText.Upsert(collection, context, collections, batcher, options),
            "get_points" => await DistributedEndpoints.GetMany(collection, context, options),
            "get_point" => await DistributedEndpoints.GetOne(collection, context),
            "delete_points" => await DistributedWrites.Delete(collection, context, options),
            "set_payload" => await DistributedWrites.EditPayload(collection, context, options, PayloadChangeKind.Set),
            "overwrite_payload" => await DistributedWrites.EditPayload(collection, context, options, PayloadChangeKind.Overwrite),
            "delete_payload" => await DistributedWrites.EditPayload(collection, context, options, PayloadChangeKind.DeleteKeys),
            "clear_payload" => await DistributedWrites.EditPayload(collection, context, options, PayloadChangeKind.Clear),
            "delete_collection" => await DistributedWrites.Drop(collection, context),
            "scroll_points" => await DistributedEndpoints.Scroll(collection, context, options),
            "count_points" => await DistributedEndpoints.Count(collection, context, options),
            RebalanceEndpoints.Operation => await RebalanceEndpoints.Distributed(collection, context, options),
            "search_points" => await DistributedText.Search(collection, context, collections, batcher, options),
            "query_points" => await DistributedText.Query(collection, context, collections, batcher, options),
            "recommend_points" => await DistributedText.RecommendRoute(collection, context, options),
            "search_batch_points" => await DistributedText.SearchBatch(collection, context, collections, batcher, options),
            "query_batch_points" => await DistributedText.QueryBatch(collection, context, collections, batcher, options),
            "recommend_batch_points" => await DistributedText.RecommendBatch(collection, context, options),
            "retrieve_context" => await DistributedText.Context(collection, context, collections, batcher, options),
            _ => throw ApiException.BadRequest(
                $"The route {context.Request.Method} {route.RoutePattern.RawText} ({operation}) is not yet supported in cluster mode on the distributed collection `{name}`. "
                + "Distributed collections take create, get, delete, upsert (vectors or text, points or batch form), get points, delete by ids or filter, payload edits, search, query, recommend (average_vector), their batches, context, rebalance, scroll and count; use a single-node collection for the rest."),
        };
        await result.ExecuteAsync(context);
    }
}
