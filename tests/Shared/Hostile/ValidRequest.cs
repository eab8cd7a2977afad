using System.Text.Json.Nodes;

namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// A request the server answers with 2xx, that mutations start from: the OpenAPI path template with its parameter
/// values, the query string and the JSON body (null for routes without one), or a body of raw bytes (a file upload).
/// </summary>
internal sealed record ValidRequest(string Operation, HttpMethod Method, string Template, IReadOnlyDictionary<string, string> Parameters, JsonNode? Body, bool Writes)
{
    public string Query { get; init; } = string.Empty;

    /// <summary>A body that is not JSON (a snapshot file), sent as <see cref="RawContentType"/> when <see cref="Body"/> is null.</summary>
    public byte[]? RawBody { get; init; }

    public string RawContentType { get; init; } = "application/octet-stream";

    public string PathWith(IReadOnlyDictionary<string, string> parameters, string? query = null)
    {
        var path = Template;
        foreach (var (name, value) in parameters)
        {
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return path + (query ?? Query);
    }

    public string Path => PathWith(Parameters);
}
