using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Quiver.Server.Collections;

namespace Quiver.Server.Operations;

/// <summary>The root (Qdrant's version answer, which clients check), health probes, Prometheus metrics and the docs page.</summary>
internal static class OperationsEndpoints
{
    /// <summary>The Qdrant REST API version whose schema the collection routes follow (clients compare their own with it).</summary>
    public const string QdrantApiVersion = "1.19.0";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Json(new ServerDescription
        {
            Title = "quiver - embeddings and vector search (OpenAI- and Qdrant-compatible)",
            Version = QdrantApiVersion,
            Quiver = typeof(OperationsEndpoints).Assembly.GetName().Version?.ToString(),
        })).WithName("root").WithSummary("Server name and the Qdrant API version it follows").WithTags("operations").Produces<ServerDescription>();
        routes.MapGet("/healthz", () => Results.Text("healthz check passed")).WithName("healthz").WithSummary("Liveness probe (no key needed)").WithTags("operations")
            .Produces<string>(200, "text/plain");
        routes.MapGet("/livez", () => Results.Text("livez check passed")).WithName("livez").WithSummary("Liveness probe (no key needed)").WithTags("operations")
            .Produces<string>(200, "text/plain");
        routes.MapGet("/readyz", Ready).WithName("readyz").WithSummary("Readiness: collection indexes are loaded and the store can be written (no key needed)").WithTags("operations")
            .Produces<string>(200, "text/plain").Produces<string>(503, "text/plain");
        routes.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("metrics").WithSummary("Prometheus metrics").WithTags("operations").Produces<string>(200, "text/plain");
        routes.MapGet("/docs", Docs).WithName("docs").WithSummary("This page: every route, and the OpenAPI document").WithTags("operations")
            .Produces<string>(200, "text/html");
    }

    private static IResult Ready(ServedCollections collections, StoreReadiness readiness, ServerOptions options, ILogger<StoreReadiness> logger)
    {
        if (!readiness.Loaded)
        {
            return Results.Text($"not ready: {readiness.Pending}", statusCode: 503);
        }

        try
        {
            Directory.CreateDirectory(collections.Store.Root);
            var probe = Path.Combine(collections.Store.Root, $".ready-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            _ = collections.Names.Count();
            return Results.Text("all shards are ready");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The probe needs no key, so its answer names no path; the log has the whole story.
            logger.LogWarning(e, "Not ready: the store at {Root} cannot be written", collections.Store.Root);
            return Results.Text($"not ready: the store cannot be written: {StoreFaults.WithoutPaths(e.Message, options.Paths)}", statusCode: 503);
        }
    }

    private static IResult Docs(EndpointDataSource endpoints)
    {
        var html = new StringBuilder("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Quiver server</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
            td,th{text-align:left;padding:.2rem .8rem}code{background:#f3f3f3;padding:0 .2rem}</style></head><body>
            <h1>Quiver server</h1>
            <p>OpenAI-compatible embeddings under <code>/v1</code>, Qdrant-compatible collections under <code>/collections</code>.
            Send the API key as <code>api-key: KEY</code> or <code>Authorization: Bearer KEY</code>.
            The machine-readable description is <a href="/openapi/v1.json">/openapi/v1.json</a>.</p>
            <table><tr><th>method</th><th>route</th><th>what</th><th>access</th></tr>
            """);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>().OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var summary = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IEndpointSummaryMetadata>()?.Summary ?? string.Empty;
            var write = endpoint.Metadata.GetMetadata<Security.WriteAccess>() is not null;
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(string.Join(", ", methods))).Append("</td><td><code>")
                .Append(WebUtility.HtmlEncode(endpoint.RoutePattern.RawText)).Append("</code></td><td>").Append(WebUtility.HtmlEncode(summary))
                .Append("</td><td>").Append(write ? "admin key" : "any key").Append("</td></tr>\n");
        }

        html.Append("</table></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
