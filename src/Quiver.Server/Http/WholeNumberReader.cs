using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quiver.Server.Http;

/// <summary>
/// A 32-bit whole number in a request, refused with its value when it is outside that range (System.Text.Json would
/// only say it could not convert it); each route checks its own bounds after reading.
/// </summary>
internal sealed class WholeNumberReader : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw RequestFieldException.Wrong("a whole number", reader.TokenType);
        }

        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new RequestFieldException($"must be from {int.MinValue} to {int.MaxValue}; it is {value}.");
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
