using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Server.Collections;
using Quiver.Server.Http;

namespace Quiver.Server.Explorer;

/// <summary>
/// <c>POST /collections/{name}/points/inspect</c>: one point's text and payload and its nearest neighbours, by any
/// stored id. Qdrant's routes take only unsigned integers and UUIDs, but <c>quiver index</c> names chunks by their file
/// ("notes.md#3"), and the explorer must open those too.
/// </summary>
internal static class InspectEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/collections/{name}/points/inspect", Inspect)
            .WithName("inspect_point").WithSummary("One point by any stored id (file chunks too): its text, payload and nearest neighbours").WithTags("analysis")
            .Accepts<InspectRequest>("application/json").Produces<QdrantResponse<InspectedPoint>>();

    private static async Task<IResult> Inspect(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Inspect);
        var given = request.Id ?? throw ApiException.BadRequest("is required: the point's id (a number, a UUID or the stored id string, such as \"notes.md#3\").", "id");
        var id = given.Value;
        var limit = request.Limit is { } most ? JsonFields.Within(most, 0, options.Limits.MaxPointsPerRequest, "limit") : 10;
        var point = collection.Get(id) ?? throw ApiException.NotFound($"Not found: No point with id {given.Shown} found in collection `{name}`.", "id");

        var neighbours = new JsonArray();
        if (limit > 0 && point.Vector.Length > 0)
        {
            foreach (var hit in collection.Search(point.Vector, limit + 1).Where(h => h.Id != id).Take(limit))
            {
                neighbours.Add(new JsonObject
                {
                    ["id"] = QdrantJson.Id(hit.Id),
                    ["score"] = hit.Score,
                    ["text"] = hit.Text,
                    ["payload"] = hit.Payload?.DeepClone(),
                });
            }
        }

        return QdrantJson.Ok(context, new JsonObject
        {
            ["id"] = QdrantJson.Id(point.Id),
            ["text"] = point.Text,
            ["payload"] = point.Payload?.DeepClone(),
            ["neighbours"] = neighbours,
        });
    }
}
