using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Http;

namespace Quiver.Server.Collections;

/// <summary>
/// A point's vector in an upsert: an array of numbers, or Qdrant's inference form {"text": ...} embedded by the
/// collection's model. Named vectors are refused: a Quiver collection holds one unnamed vector.
/// </summary>
internal sealed class PointVectorReader : JsonConverter<PointVector>
{
    public override PointVector Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return new PointVector { Values = VectorReader.ReadVector(ref reader) };
        }

        var document = JsonNode.Parse(ref reader)!.AsObject();
        return document["text"] switch
        {
            null => throw new RequestFieldException("named vectors are not supported: Quiver collections hold one unnamed vector. Give an array of numbers."),
            var text when text.GetValueKind() == JsonValueKind.String => new PointVector { Text = text.GetValue<string>() },
            var text => throw new RequestFieldException($"must be a string, not {JsonBody.Describe(text)}.", ".text"),
        };
    }

    public override void Write(Utf8JsonWriter writer, PointVector value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");
}
