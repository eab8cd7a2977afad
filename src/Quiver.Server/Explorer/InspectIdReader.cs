using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Collections;
using Quiver.Server.Http;
using Quiver.Store.Collections;

namespace Quiver.Server.Explorer;

/// <summary>
/// The id of the point to inspect: a number is an unsigned integer id, as Qdrant reads it; a string is a UUID (any
/// form Qdrant reads, stored in its hyphenated lower-case form) or any other stored id as it is (<c>notes.md#3</c>).
/// </summary>
internal sealed class InspectIdReader : JsonConverter<InspectId>
{
    public override InspectId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetUInt64(out var number))
            {
                throw new RequestFieldException(PointIds.Unparsable(JsonNode.Parse(ref reader)));
            }

            var digits = number.ToString(CultureInfo.InvariantCulture);
            return new InspectId { Value = digits, Shown = digits };
        }

        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text)
        {
            var shown = JsonValue.Create(text).ToJsonString();
            if (PointIds.TryParseUuid(text, out var uuid))
            {
                return new InspectId { Value = uuid.ToString("D"), Shown = shown };
            }

            if (text.Length is > 0 and <= Collection.MaxIdLength)
            {
                return new InspectId { Value = text, Shown = shown };
            }
        }

        throw new RequestFieldException($"is {JsonNode.Parse(ref reader)!.ToJsonString()}; give a number, a UUID or a stored id string of 1 to {Collection.MaxIdLength.ToString(CultureInfo.InvariantCulture)} characters.");
    }

    public override void Write(Utf8JsonWriter writer, InspectId value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");
}
