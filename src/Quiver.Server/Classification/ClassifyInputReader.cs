using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Server.Http;

namespace Quiver.Server.Classification;

/// <summary>
/// The texts a classifier labels: a string or an array of strings, a wrong item named by its index (<c>input[2]</c>).
/// The server's limits (texts per request, characters) and empty texts are checked after reading, by the route.
/// </summary>
internal sealed class ClassifyInputReader : JsonConverter<ClassifyInput>
{
    public override ClassifyInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ClassifyInput { Texts = [reader.GetString()!] };
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw RequestFieldException.Wrong("a string or an array of strings", reader.TokenType);
        }

        var texts = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            texts.Add(reader.TokenType == JsonTokenType.String
                ? reader.GetString()!
                : throw RequestFieldException.Wrong("a string", reader.TokenType, $"[{texts.Count}]"));
        }

        return new ClassifyInput { Texts = texts, IsArray = true };
    }

    public override void Write(Utf8JsonWriter writer, ClassifyInput value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");
}
