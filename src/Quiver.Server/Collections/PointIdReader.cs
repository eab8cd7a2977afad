using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Http;

namespace Quiver.Server.Collections;

/// <summary>A point id in a request, read into the form Quiver stores (<see cref="PointIds"/>); JSON null reads as no id.</summary>
internal sealed class PointIdReader : JsonConverter<PointId>
{
    public override PointId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var number))
        {
            // A JSON number that reads as an unsigned integer is written as its decimal digits, so it shows as stored.
            var digits = number.ToString(CultureInfo.InvariantCulture);
            return new PointId { Value = digits, Shown = digits };
        }

        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text && PointIds.TryParseUuid(text, out var uuid))
        {
            return new PointId { Value = uuid.ToString("D"), Shown = JsonValue.Create(text).ToJsonString() };
        }

        throw new RequestFieldException(PointIds.Unparsable(JsonNode.Parse(ref reader)));
    }

    public override void Write(Utf8JsonWriter writer, PointId value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");
}
