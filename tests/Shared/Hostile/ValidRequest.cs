using System.Text.Json.Nodes;

namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// A request the server answers with 2xx, that mutations start from: the OpenAPI path template with its parameter
/// values, the query string and the JSON body (null for routes without one).
/// </summary>
internal sealed record ValidRequest(string Operation, HttpMethod Method, string Template, IReadOnlyDictionary<string, string> Parameters, JsonNode? Body, bool Writes)
{
    public string Query { get; init; } = string.Empty;

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
