using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quiver.Server.Http;

/// <summary>
/// A vector in a request: an array of finite numbers read straight into a float[], each wrong item named by its index
/// (<c>points[0].vector[1]</c>).
/// </summary>
internal sealed class VectorReader : JsonConverter<float[]>
{
    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadVector(ref reader);

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");

    /// <summary>The array the reader stands on, or an error naming the item at fault.</summary>
    public static float[] ReadVector(ref Utf8JsonReader reader, string suffix = "")
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw RequestFieldException.Wrong("an array of numbers", reader.TokenType, suffix);
        }

        var values = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var item = $"{suffix}[{values.Count}]";
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw RequestFieldException.Wrong("a number", reader.TokenType, item);
            }

            var value = reader.GetDouble();
            if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
            {
                throw new RequestFieldException($"is {value}, which is not a finite 32-bit number. Vectors must hold finite numbers.", item);
            }

            values.Add((float)value);
        }

        return [.. values];
    }
}
