using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Server.Http;

namespace Quiver.Server.Collections;

/// <summary>A recommend example: a vector (an array of numbers) or a stored point's id.</summary>
internal sealed class RecommendExampleReader(PointIdReader ids) : JsonConverter<RecommendExample>
{
    public override RecommendExample Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.StartArray
            ? new RecommendExample { Vector = VectorReader.ReadVector(ref reader) }
            : new RecommendExample { Id = ids.Read(ref reader, typeof(PointId), options) };

    public override void Write(Utf8JsonWriter writer, RecommendExample value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");
}
