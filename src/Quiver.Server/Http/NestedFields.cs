using System.Text.Json.Nodes;

namespace Quiver.Server.Http;

/// <summary>An object inside a request (a batch entry, a nested query) read like a request of its own, its errors placed under <paramref name="Path"/>.</summary>
internal sealed record NestedFields(JsonObject Json, string Path) : IRequestFields
{
    public JsonNode? this[string name] => Json[name];

    public string PathOf(string name) => $"{Path}.{name}";
}
