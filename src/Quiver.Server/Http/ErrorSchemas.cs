using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Quiver.Server.Http;

// The error bodies ErrorResponses writes, one shape per API style, as the OpenAPI document shows them.

[Description("An error on an OpenAI-compatible route (/v1/...).")]
internal sealed class OpenAiError
{
    [JsonPropertyName("error")]
    public required OpenAiErrorDetail Error { get; init; }
}

internal sealed class OpenAiErrorDetail
{
    [JsonPropertyName("message")]
    [Description("What was wrong and how to fix it.")]
    public required string Message { get; init; }

    [JsonPropertyName("type")]
    [Description("invalid_request_error, authentication_error, permission_error, not_found_error, request_too_large, rate_limit_error or server_error.")]
    public required string Type { get; init; }

    [JsonPropertyName("param")]
    [Description("The request field at fault, as a JSON path such as input[3], or null.")]
    public required string? Param { get; init; }

    [JsonPropertyName("code")]
    [Description("A short machine-readable code, such as model_not_found or invalid_request.")]
    public required string? Code { get; init; }
}

[Description("An error on a Qdrant-compatible route (/collections/... and the others).")]
internal sealed class QdrantError
{
    [JsonPropertyName("status")]
    public required QdrantErrorStatus Status { get; init; }

    [JsonPropertyName("time")]
    [Description("Seconds the server spent on the request.")]
    public required double Time { get; init; }
}

internal sealed class QdrantErrorStatus
{
    [JsonPropertyName("error")]
    [Description("What was wrong and how to fix it, after the request field at fault (\"vectors.size: ...\") when there is one.")]
    public required string Error { get; init; }
}
