using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Quiver.Server.Http;

/// <summary>
/// A request value kept as its JSON for a reader that walks it with paths of its own (a filter's conditions, a query
/// of many shapes, a payload selection), inside a typed request.
/// </summary>
internal sealed class JsonKeptReader<T>(Func<JsonNode, T> wrap) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => wrap(JsonNode.Parse(ref reader)!);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");
}
