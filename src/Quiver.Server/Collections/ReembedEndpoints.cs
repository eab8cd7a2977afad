using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Server.Http;
using Quiver.Server.Security;
using Quiver.Store.Reembedding;

namespace Quiver.Server.Collections;

/// <summary>
/// <c>POST /collections/{name}/reembed</c> starts re-embedding a collection with another model (or a new revision of its
/// own) in the background; <c>GET /collections/{name}/reembed</c> follows it. What <c>quiver collections reembed</c> does.
/// </summary>
internal static class ReembedEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/collections/{name}/reembed", Start).RequiresWrite()
            .WithName("reembed_collection").WithSummary("Start re-embedding a collection's stored texts with another model, in the background; searches use the old vectors until it switches").WithTags("collections")
            .Accepts<ReembedRequest>("application/json").Produces<QdrantResponse<ReembedStatus>>();
        routes.MapGet("/collections/{name}/reembed", Status)
            .WithName("get_reembed_status").WithSummary("Where the collection's re-embedding is (running, done, failed or stopped)").WithTags("collections")
            .Produces<QdrantResponse<ReembedStatus>>();
    }

    private static async Task<IResult> Start(string name, HttpContext context, ReembedJobs jobs, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Reembed, allowEmpty: true);
        var run = jobs.Start(name, request.Model, new ReembedOptions
        {
            Into = request.Into,
            DropTextless = request.DropTextless ?? false,
            Force = request.Force ?? false,
            Restart = request.Restart ?? false,
            BatchSize = request.BatchSize is { } size ? JsonFields.Within(size, 1, 4096, "batch_size") : ReembedOptions.DefaultBatchSize,
        });
        return QdrantJson.Ok(context, Describe(run));
    }

    private static IResult Status(string name, HttpContext context, ReembedJobs jobs, ServedCollections collections)
    {
        if (jobs.Find(name) is { } run)
        {
            return QdrantJson.Ok(context, Describe(run));
        }

        // None since the server started (one stopped by a restart resumes when requested again).
        var collection = collections.Get(name);
        return QdrantJson.Ok(context, new JsonObject
        {
            ["collection"] = name,
            ["source"] = name,
            ["model"] = collection.Space.Model.Name,
            ["status"] = "none",
            ["phase"] = "none",
            ["done"] = 0,
            ["total"] = 0,
            ["checkpoint"] = 0,
            ["resumed"] = false,
            ["started_at"] = null,
            ["error"] = null,
        });
    }

    private static JsonObject Describe(ReembedRun run)
    {
        var progress = run.Progress;
        var result = run.Result;
        var answer = new JsonObject
        {
            ["collection"] = run.Options.Into ?? run.Collection,
            ["source"] = run.Collection,
            ["model"] = run.Model,
            ["status"] = run.Status,
            ["phase"] = progress?.Phase ?? "starting",
            ["done"] = progress?.Done ?? 0,
            ["total"] = progress?.Total ?? 0,
            ["checkpoint"] = progress?.Checkpoint ?? 0,
            ["resumed"] = progress?.Resumed ?? false,
            ["started_at"] = run.StartedAt.ToString("O"),
            ["error"] = run.Error,
        };
        if (result is not null)
        {
            answer["result"] = new JsonObject
            {
                ["points"] = result.Points,
                ["embedded"] = result.Embedded,
                ["reused"] = result.Reused,
                ["textless_dropped"] = result.TextlessDropped,
                ["textless_ids"] = new JsonArray([.. result.TextlessIds.Select(id => (JsonNode?)QdrantJson.Id(id))]),
                ["space"] = result.To.ToString(),
                ["seconds"] = result.Elapsed.TotalSeconds,
                ["points_per_second"] = result.PointsPerSecond,
            };
        }

        return answer;
    }
}
