using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Quiver.Server.Http;

/// <summary>Writes an error in the style of the API the route imitates.</summary>
internal static class ErrorResponses
{
    public static Task Write(HttpContext context, int status, string message, string? param = null, string? code = null, (string Name, string Value)? header = null)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == 413)
        {
            // The rest of the body is not read, so the connection cannot carry another request.
            context.Response.Headers.Connection = "close";
        }

        if (header is { } extra)
        {
            context.Response.Headers[extra.Name] = extra.Value;
        }
        context.Response.ContentType = "application/json";
        JsonObject body = ApiStyles.For(context.Request.Path) == ApiStyle.OpenAi
            ? new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = message,
                    ["type"] = status switch
                    {
                        401 => "authentication_error",
                        403 => "permission_error",
                        404 => "not_found_error",
                        413 => "request_too_large",
                        429 => "rate_limit_error",
                        >= 500 => "server_error",
                        _ => "invalid_request_error",
                    },
                    ["param"] = param,
                    ["code"] = code,
                },
            }
            : new JsonObject
            {
                ["status"] = new JsonObject { ["error"] = param is null ? message : $"{param}: {message}" },
                ["time"] = Elapsed(context),
            };
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>Seconds since the request started, as Qdrant reports in "time".</summary>
    public static double Elapsed(HttpContext context) =>
        context.Items.TryGetValue(StartedKey, out var started) && started is long ticks ? Stopwatch.GetElapsedTime(ticks).TotalSeconds : 0;

    public const string StartedKey = "quiver.started";
}
