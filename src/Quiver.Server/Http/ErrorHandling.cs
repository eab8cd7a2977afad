using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Cluster;
using Quiver.Models.Onnx;
using Quiver.Models.Remote;
using Quiver.Server.Operations;
using Quiver.Store.Collections;

namespace Quiver.Server.Http;

/// <summary>
/// Turns every failure into a JSON error in the route's API style: refused requests (<see cref="ApiException"/>),
/// Quiver's own errors about the input (400 or 404), a collection deleted under a request (404), bodies too large (413),
/// damaged files the server keeps (<see cref="StoredDataException"/>: 500, the file named from $QUIVER_HOME), a remote
/// model's endpoint failing (502), faults of the store's disk (503, or 507 when full), a shard of a distributed
/// collection with no live replica (503: retry later); anything else is a 500.
/// Every 5xx is logged.
/// </summary>
internal sealed class ErrorHandling(RequestDelegate next, ServerOptions options, ILogger<ErrorHandling> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Items[ErrorResponses.StartedKey] = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
            if (context.Response is { HasStarted: false, StatusCode: 404 } && context.GetEndpoint() is null)
            {
                await ErrorResponses.Write(context, 404, $"There is no route {context.Request.Method} {context.Request.Path}. The routes are listed at /docs.", code: "unknown_route");
            }
            else if (context.Response is { HasStarted: false, StatusCode: 405 })
            {
                await ErrorResponses.Write(context, 405, $"{context.Request.Method} is not allowed on {context.Request.Path}. The routes are listed at /docs.", code: "method_not_allowed");
            }
            else if (context.Response is { HasStarted: false, StatusCode: 415 })
            {
                // Routing refuses a body route's request whose Content-Type is not JSON before any handler runs.
                await ErrorResponses.Write(context, 415, $"The body's Content-Type is '{context.Request.ContentType}'; send it as application/json (a snapshot upload: multipart/form-data or application/octet-stream).", code: "unsupported_media_type");
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (Exception e)
        {
            var (status, message, param, code) = Classify(e, options);
            if (status >= 500 && e is not ApiException)
            {
                logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            }
            else if (status >= 500)
            {
                // A refusal the server chose (busy: its memory for bodies is taken), not a fault: one line, no stack trace.
                logger.LogWarning("{Method} {Path} refused with {Status}: {Param} {Message}", context.Request.Method, context.Request.Path, status, param, message);
            }
            else if (code == "invalid_json")
            {
                // A malformed body is the client's fault: one line for whoever watches for abuse, no stack trace.
                logger.LogWarning("{Method} {Path} refused a malformed body: {Param} {Message}", context.Request.Method, context.Request.Path, param, message);
            }

            await ErrorResponses.Write(context, status, message, param, code, e is ApiException { RetryAfter: { } retry } ? ("Retry-After", retry) : null);
        }
    }

    /// <summary>The status, message, field at fault and code that a failure is answered with (gRPC maps the status to its codes).</summary>
    internal static (int Status, string Message, string? Param, string? Code) Classify(Exception e, ServerOptions options) => e switch
    {
        ApiException api => (api.Status, api.Message, api.Param, api.Code),
        BadHttpRequestException bad when bad.StatusCode == 413 => (413, "The request body is larger than the server accepts. Send fewer or smaller inputs per request.", null, "request_too_large"),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message, null, "bad_request"),
        JsonException json => (400, $"The body is not valid JSON: {json.Message}", null, "invalid_json"),
        ModelNotInstalledException missing => (404, missing.Message, "model", "model_not_found"),
        CollectionNotFoundException missing => (404, missing.Message, null, "collection_not_found"),

        // A request that already held a collection when another request deleted it (the delete closes it).
        ObjectDisposedException closed when closed.ObjectName == typeof(Collection).FullName =>
            (404, "The collection was deleted while this request was using it; nothing more was written. Create it again to write to it.", null, "collection_not_found"),
        InputTooLongException tooLong => (400, tooLong.Message, "input", "input_too_long"),
        EmbeddingSpaceMismatchException mismatch => (400, mismatch.Message, null, "space_mismatch"),
        RemoteEmbeddingException remote => (502, remote.Message, "model", "upstream_error"),
        StoredDataException stored => (500, Damaged(stored.Message, options), null, StoreFaults.DamagedCode),

        // A model folder is the caller's input when it is installed; once under $QUIVER_HOME it is the server's own file.
        ModelFolderException folder when StoreFaults.IsInside(folder.File, options.Paths) => (500, Damaged(folder.Message, options), null, StoreFaults.DamagedCode),
        // A shard whose silos are down or failing over: nothing was acknowledged, and a retry may succeed.
        ShardUnavailableException unavailable => (503, unavailable.Message, null, "shard_unavailable"),
        // Applied on some shards only because the others had no live replica: the message lists what was acknowledged,
        // and retrying the whole write (idempotent) is the fix, so it is a 503 too.
        PartialWriteException split when split.InnerException is ShardUnavailableException => (503, split.Message, null, "partial_write"),
        QuiverException quiver => (400, quiver.Message, null, "invalid_request"),
        _ when StoreFaults.Classify(e, options.Paths) is { } fault => (fault.Status, fault.Message, null, fault.Code),
        _ => (500, "The server failed to answer this request; the error is in its log.", null, "internal_error"),
    };

    private static string Damaged(string message, ServerOptions options) =>
        $"A file the server keeps is damaged, so it cannot answer this request (the request may be fine; an operator must repair the file): {StoreFaults.WithoutPaths(message, options.Paths)}";
}
