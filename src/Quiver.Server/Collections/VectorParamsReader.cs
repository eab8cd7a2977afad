using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Server.Http;

namespace Quiver.Server.Collections;

/// <summary>
/// The vectors of Qdrant's create-collection request: one unnamed vector's size and distance, both required. Qdrant's
/// other form, a map of named vectors ({"text": {"size": …}}), is refused at <c>vectors</c>; a wrong size or distance
/// is refused at <c>vectors.size</c> or <c>vectors.distance</c> in the words gRPC's create uses.
/// </summary>
internal sealed class VectorParamsReader : JsonConverter<VectorParams>
{
    public override VectorParams Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw RequestFieldException.Wrong("an object", reader.TokenType);
        }

        long? size = null;
        string? distance = null;
        bool sizeKey = false, distanceKey = false, otherKey = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("size"))
            {
                sizeKey = true;
                reader.Read();
                size = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
                    _ => throw RequestFieldException.Wrong("a whole number", reader.TokenType, ".size"),
                };
            }
            else if (reader.ValueTextEquals("distance"))
            {
                distanceKey = true;
                reader.Read();
                distance = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.String => reader.GetString(),
                    _ => throw RequestFieldException.Wrong("a string", reader.TokenType, ".distance"),
                };
            }
            else
            {
                otherKey = true;
                reader.Read();
                reader.Skip();
            }
        }

        if (otherKey && !sizeKey && !distanceKey)
        {
            throw new RequestFieldException("named vectors are not supported: Quiver collections hold one unnamed vector. Give {\"size\": N, \"distance\": \"Cosine\"}.");
        }

        var dimensions = size is { } given
            ? given is >= 1 and <= CollectionSettings.MaxDimensions ? (int)given : throw new RequestFieldException($"must be from 1 to {CollectionSettings.MaxDimensions}; it is {given}.", ".size")
            : throw new RequestFieldException($"is required: the vectors' dimensions, from 1 to {CollectionSettings.MaxDimensions} (or leave vectors out and give \"model\").", ".size");
        return new VectorParams
        {
            Size = dimensions,
            Distance = distance switch
            {
                "Cosine" => DistanceName.Cosine,
                "Dot" => DistanceName.Dot,
                "Euclid" => DistanceName.Euclid,
                _ => throw new RequestFieldException(CollectionSettings.DistanceRefusal(distance), ".distance"),
            },
        };
    }

    public override void Write(Utf8JsonWriter writer, VectorParams value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");
}
