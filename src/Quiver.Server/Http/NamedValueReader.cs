using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quiver.Server.Http;

/// <summary>
/// A request field that names one of a few values (encoding_format, truncation, strategy), matched exactly; any other
/// name is refused with <paramref name="refusal"/>, which follows the name in quotes ("'xml' is not an encoding
/// format; use float or base64.").
/// </summary>
internal sealed class NamedValueReader<TValue>(string refusal, params (string Name, TValue Value)[] names) : JsonConverter<TValue>
    where TValue : struct, Enum
{
    public override TValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw RequestFieldException.Wrong("a string", reader.TokenType);
        }

        foreach (var (name, value) in names)
        {
            if (reader.ValueTextEquals(name))
            {
                return value;
            }
        }

        throw new RequestFieldException($"'{reader.GetString()}' {refusal}");
    }

    public override void Write(Utf8JsonWriter writer, TValue value, JsonSerializerOptions options) =>
        writer.WriteStringValue(names.First(n => n.Value.Equals(value)).Name);
}
