using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Catalogue;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Store.Collections;

namespace Quiver.Server.Explorer;

/// <summary>
/// What the explorer lists: <c>GET /collections/{name}/overview</c> (points, space, index state, memory per vector,
/// payload fields, what <c>quiver inspect</c> shows) and <c>GET /models</c> (every installed model with its space and
/// the collections that hold its vectors).
/// </summary>
internal static class OverviewEndpoints
{
    // The payload fields offered for colouring are those of the first points in id order: enough to find a
    // collection's fields without reading every payload.
    public const int FieldSample = 200;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/collections/{name}/overview", Overview)
            .WithName("collection_overview").WithSummary("A collection's points, space, index state, memory per vector and payload fields (what quiver inspect shows)").WithTags("analysis")
            .Produces<QdrantResponse<CollectionOverview>>();
        routes.MapGet("/models", ListModels)
            .WithName("list_models").WithSummary("Every installed model (text, words, images) with its space and the collections holding its vectors").WithTags("analysis")
            .Produces<QdrantResponse<InstalledModelList>>();
    }

    private static IResult Overview(string name, HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var collection = collections.Get(name);
        var info = collection.Info();
        var index = collection.InspectIndex();
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var point in collection.Scroll(FieldSample).Points)
        {
            foreach (var (key, _) in point.Payload ?? [])
            {
                fields.Add(key);
            }
        }

        return QdrantJson.Ok(context, new JsonObject
        {
            ["name"] = info.Name,
            ["points"] = info.Count,
            ["model"] = info.Space.IsRaw ? null : info.Space.ModelId,
            ["space"] = Space(info.Space),
            ["sequence"] = info.Sequence,
            ["database_bytes"] = info.DatabaseBytes,
            ["index"] = new JsonObject
            {
                ["kind"] = index.Kind.ToString().ToLowerInvariant(),
                ["graph_in_use"] = index.GraphInUse,
                ["live_points"] = index.LivePoints,
                ["tombstones"] = index.Tombstones,
                ["memory_bytes"] = index.MemoryBytes,
                ["bytes_per_vector"] = Math.Round(index.BytesPerVector, 1),
                ["quantization"] = index.Quantization.ToString().ToLowerInvariant(),
                ["index_sequence"] = index.IndexSequence,
                ["snapshot_sequence"] = index.SnapshotSequence,
            },
            ["payload_fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]),
            ["has_text"] = collection.HasKeywordText(),
            ["max_points_per_request"] = options.Limits.MaxPointsPerRequest,
        });
    }

    private static IResult ListModels(HttpContext context, ServedCollections collections, ServedModels models)
    {
        // Each collection's space names its model; a collection that cannot be opened is left out of the counts, not fatal.
        var holders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in collections.Names)
        {
            Collection collection;
            try
            {
                collection = collections.Get(name);
            }
            catch (Exception e) when (e is Core.QuiverException or Http.ApiException)
            {
                continue;
            }

            if (!collection.Space.IsRaw)
            {
                var model = collection.Space.Model.Name;
                (holders.TryGetValue(model, out var names) ? names : holders[model] = []).Add(name);
            }
        }

        var described = new JsonArray();
        foreach (var manifest in InstalledModels.List(models.Paths))
        {
            described.Add(new JsonObject
            {
                ["name"] = manifest.Name,
                ["kind"] = manifest.Kind,
                ["dimensions"] = manifest.Dimensions,
                ["revision"] = manifest.Revision,
                ["description"] = manifest.Description,
                ["source"] = manifest.Source,
                ["license"] = manifest.License,
                ["words"] = manifest.Words,
                ["installed_at"] = manifest.InstalledAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["default"] = manifest.Name == models.DefaultModel,
                ["collections"] = new JsonArray([.. (holders.GetValueOrDefault(manifest.Name) ?? []).Select(c => (JsonNode)c)]),
            });
        }

        return QdrantJson.Ok(context, new JsonObject { ["models"] = described });
    }

    private static JsonObject Space(Core.Spaces.EmbeddingSpace space) => new()
    {
        ["model"] = space.ModelId,
        ["revision"] = space.Revision,
        ["dimensions"] = space.Dimensions,
        ["distance"] = CollectionSettings.DistanceName(space.Metric),
        ["normalized"] = space.Normalized,
        ["description"] = space.ToString(),
    };
}
