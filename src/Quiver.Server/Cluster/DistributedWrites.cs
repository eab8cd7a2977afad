using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Quiver.Cluster;
using Quiver.Core.Distances;
using Quiver.Server.Collections;
using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.Server.Cluster;

/// <summary>
/// Qdrant's write and lifecycle routes over a <see cref="DistributedCollection"/> beyond a plain upsert: the batch
/// upsert form, delete by ids or filter, the four payload edits (by ids or filter), and deleting the collection.
/// Bodies are read with the single-node routes' request types and selection parser, so a field means the same (and is
/// refused with the same path) on both.
/// </summary>
internal static class DistributedWrites
{
    public static async Task<IResult> Delete(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Delete);
        var (ids, filter) = PointsEndpoints.Selection(request.Points, request.Filter, options.Limits);
        await Write(() => ids is not null ? collection.DeleteAsync(ids) : collection.DeleteAsync(filter!), "points");
        return QdrantJson.Ok(context, QdrantJson.Operation(0));
    }

    /// <summary>POST /points/payload (set keys), PUT /points/payload (overwrite), /points/payload/delete (keys) and /points/payload/clear.</summary>
    public static async Task<IResult> EditPayload(DistributedCollection collection, HttpContext context, ServerOptions options, PayloadChangeKind kind)
    {
        var limits = options.Limits;
        (List<string>? Ids, PayloadFilter? Filter) selection;
        PayloadChange change;
        switch (kind)
        {
            case PayloadChangeKind.Set or PayloadChangeKind.Overwrite:
                var set = await RequestBody.Read(context, limits, RequestTypes.SetPayload);
                selection = PointsEndpoints.Selection(set.Points, set.Filter, limits);
                var payload = set.Payload is { } given ? new JsonObject(given) : throw ApiException.BadRequest("is required: the payload object to set.", "payload");
                if (set.Key is not null)
                {
                    throw ApiException.BadRequest("setting a nested key is not supported; set top-level keys.", "key");
                }

                change = kind == PayloadChangeKind.Overwrite ? PayloadChange.Overwrite(payload) : PayloadChange.Set(payload);
                break;
            case PayloadChangeKind.DeleteKeys:
                var delete = await RequestBody.Read(context, limits, RequestTypes.DeletePayload);
                selection = PointsEndpoints.Selection(delete.Points, delete.Filter, limits);
                var keys = delete.Keys ?? throw ApiException.BadRequest("is required: the payload keys to delete.", "keys");
                change = PayloadChange.DeleteKeys([.. keys.Select((k, i) => k ?? throw ApiException.BadRequest("must be a string, not null.", $"keys[{i}]"))]);
                break;
            default:
                var clear = await RequestBody.Read(context, limits, RequestTypes.Delete);
                selection = PointsEndpoints.Selection(clear.Points, clear.Filter, limits);
                change = PayloadChange.Clear();
                break;
        }

        await Write(() => selection.Ids is not null ? collection.EditPayloadAsync(selection.Ids, change) : collection.EditPayloadAsync(selection.Filter!, change), "points");
        return QdrantJson.Ok(context, QdrantJson.Operation(0));
    }

    /// <summary>DELETE /collections/{name}: every replica's files and the layout on every silo; the name is free again.</summary>
    public static async Task<IResult> Drop(DistributedCollection collection, HttpContext context)
    {
        await collection.DropAsync();
        return QdrantJson.Ok(context, true);
    }

    // A vector a shard refuses is the caller's input, named as the single-node routes name it.
    private static async Task Write(Func<Task> write, string path)
    {
        try
        {
            await write();
        }
        catch (InvalidVectorException e)
        {
            throw ApiException.BadRequest($"Wrong input: {e.Message}", path);
        }
    }
}
