using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quiver.Cli;

/// <summary>
/// Writes a vector (<c>float[]</c>) as one line even in indented JSON: a 384-d embedding is then one line to read,
/// copy or grep, not 384, while the document around it stays indented.
/// </summary>
internal sealed class OneLineVectorConverter : JsonConverter<float[]>
{
    private static readonly JsonSerializerOptions Compact = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public override float[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<float[]>(ref reader, Compact);

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options) =>
        writer.WriteRawValue(JsonSerializer.SerializeToUtf8Bytes(value, Compact), skipInputValidation: true);
}
