using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Cluster;
using Quiver.Server.Collections;
using Quiver.Server.Http;
using Quiver.Server.Security;

namespace Quiver.Server.Cluster;

/// <summary>
/// <c>POST /collections/{name}/rebalance</c>: spreads a distributed collection's replicas evenly over the silos now in
/// the cluster (after a silo joined), moving one replica at a time while reads and writes go on. A single-node
/// collection has nothing to spread: the route answers that it moved nothing.
/// </summary>
internal static class RebalanceEndpoints
{
    public const string Operation = "rebalance_collection";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/collections/{name}/rebalance", SingleNode).RequiresWrite().WithName(Operation)
            .WithSummary("Spread a distributed collection's replicas evenly over the cluster's silos (cluster mode); a single-node collection moves nothing").WithTags("collections")
            .Accepts<EmptyRequest>(isOptional: true, "application/json").Produces<QdrantResponse<RebalanceResult>>();

    /// <summary>In cluster mode, for a distributed collection (<see cref="ClusterDispatch"/> sends it here).</summary>
    public static async Task<IResult> Distributed(DistributedCollection collection, HttpContext context, ServerOptions options)
    {
        await RequestBody.Read(context, options.Limits, RequestTypes.Empty, allowEmpty: true);
        var before = collection.Layout.Shards.SelectMany(s => s.Replicas).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        await collection.RebalanceAsync();
        var replicas = collection.Layout.Shards.SelectMany((s, i) => s.Replicas.Select(r => (Shard: i, Replica: r))).ToList();
        return QdrantJson.Ok(context, new JsonObject
        {
            ["distributed"] = true,
            ["moved"] = replicas.Count(r => !before.Contains(r.Replica.Key)),
            ["silos"] = new JsonObject([.. replicas.GroupBy(r => r.Replica.Silo).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))]),
        });
    }

    private static async Task<IResult> SingleNode(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        collections.Get(name);
        await RequestBody.Read(context, options.Limits, RequestTypes.Empty, allowEmpty: true);
        return QdrantJson.Ok(context, new JsonObject { ["distributed"] = false, ["moved"] = 0, ["silos"] = new JsonObject() });
    }
}

[Description("What a rebalance did.")]
internal sealed class RebalanceResult
{
    [JsonPropertyName("distributed")]
    [Description("Whether the collection is distributed (cluster mode); a single-node collection has nothing to move.")]
    public required bool Distributed { get; init; }

    [JsonPropertyName("moved")]
    [Description("Replicas moved to another silo.")]
    public required int Moved { get; init; }

    [JsonPropertyName("silos")]
    [Description("Replicas of the collection on each silo after the rebalance.")]
    public required Dictionary<string, int> Silos { get; init; }
}
