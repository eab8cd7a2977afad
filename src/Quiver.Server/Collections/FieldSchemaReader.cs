using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Server.Http;

namespace Quiver.Server.Collections;

/// <summary>
/// A payload index's field schema in either of Qdrant's forms, a type name ("keyword") or an object with one
/// ({"type": "keyword", …}, its other parameters skipped); the name is checked by the route, as gRPC's is.
/// </summary>
internal sealed class FieldSchemaReader : JsonConverter<FieldSchema>
{
    public override FieldSchema Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new FieldSchema { Type = reader.GetString() };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw RequestFieldException.Wrong("a string", reader.TokenType);
        }

        string? type = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type");
            reader.Read();
            if (!isType)
            {
                reader.Skip();
                continue;
            }

            type = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => reader.GetString(),
                _ => throw RequestFieldException.Wrong("a string", reader.TokenType, ".type"),
            };
        }

        return new FieldSchema { Type = type };
    }

    public override void Write(Utf8JsonWriter writer, FieldSchema value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");
}
