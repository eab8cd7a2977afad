using Microsoft.AspNetCore.Http;
using Quiver.Server.Http;

namespace Quiver.Server.Security;

/// <summary>
/// Checks the API key (the <c>api-key</c> header, as Qdrant's clients send it, or <c>Authorization: Bearer</c>, as
/// OpenAI's do) on every route but the health probes and the explorer page's files (which hold no data): 401 without a valid key, 403 for a write with a read-only key.
/// Keys are never logged.
/// </summary>
internal sealed class AccessControl(RequestDelegate next, ApiKeys keys)
{
    public static readonly string[] OpenPaths = ["/healthz", "/readyz", "/livez"];

    public const string MissingKey = "This server needs an API key: send it in the 'api-key' header or as 'Authorization: Bearer <key>'.";

    public const string InvalidKey = "The API key is not valid for this server.";

    public const string ReadOnlyKey = "This key is read-only and this route changes stored data. Use an admin key.";

    public Task InvokeAsync(HttpContext context)
    {
        if (!keys.Enabled || OpenPaths.Contains(context.Request.Path.Value, StringComparer.Ordinal) || Explorer.ExplorerPage.IsPageFile(context.Request.Path.Value))
        {
            return next(context);
        }

        var key = KeyOf(context.Request);
        var level = keys.Check(key);
        if (level == AccessLevel.None)
        {
            return ErrorResponses.Write(
                context,
                401,
                key is null
                    ? MissingKey
                    : InvalidKey,
                code: key is null ? "missing_api_key" : "invalid_api_key",
                header: ("WWW-Authenticate", "Bearer"));
        }

        if (level == AccessLevel.ReadOnly && context.GetEndpoint()?.Metadata.GetMetadata<WriteAccess>() is not null)
        {
            return ErrorResponses.Write(context, 403, ReadOnlyKey, code: "read_only_key");
        }

        return next(context);
    }

    /// <summary>The key a request carries (gRPC calls carry the same headers as metadata).</summary>
    internal static string? KeyOf(HttpRequest request)
    {
        // An empty api-key header (a client's unset variable) is absent, so it cannot hide a Bearer key.
        if (request.Headers.TryGetValue("api-key", out var header) && !string.IsNullOrWhiteSpace(header[0]))
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}
