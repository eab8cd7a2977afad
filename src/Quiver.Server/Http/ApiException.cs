namespace Quiver.Server.Http;

/// <summary>A request the server refuses: the HTTP status, the message (what was wrong and how to fix it), the field at fault.</summary>
internal sealed class ApiException(int status, string message, string? param = null, string? code = null) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>The request field at fault (JSON path such as "input[3]"), when there is one.</summary>
    public string? Param { get; } = param;

    /// <summary>A short machine-readable code (OpenAI style), such as "model_not_found".</summary>
    public string? Code { get; } = code;

    /// <summary>Seconds for a Retry-After header, when retrying later can succeed (a busy server).</summary>
    public string? RetryAfter { get; init; }

    public static ApiException BadRequest(string message, string? param = null) => new(400, message, param, "invalid_request");

    public static ApiException NotFound(string message, string? param = null, string code = "not_found") => new(404, message, param, code);
}
