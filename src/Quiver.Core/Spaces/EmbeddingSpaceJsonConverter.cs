using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Core.Distances;

namespace Quiver.Core.Spaces;

/// <summary>
/// Keeps the JSON of a space as it was before the model became a <see cref="ModelReference"/> (the model id and revision
/// as two strings), so files written then (a classifier's manifest) read back unchanged and answers keep their shape.
/// The caller's options still decide the names' case and how the metric is written.
/// </summary>
internal sealed class EmbeddingSpaceJsonConverter : JsonConverter<EmbeddingSpace>
{
    public override EmbeddingSpace Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var stored = JsonSerializer.Deserialize<StoredSpace>(ref reader, options) ?? throw new JsonException("An embedding space is null.");
        try
        {
            return new EmbeddingSpace(ModelReference.Parse(stored.ModelId, stored.Revision), stored.Dimensions, stored.Metric, stored.Normalized)
            {
                DocumentPrompt = stored.DocumentPrompt,
                QueryPrompt = stored.QueryPrompt,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new JsonException($"The embedding space's model id '{stored.ModelId}' (revision '{stored.Revision}') cannot be read: {e.Message}", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, EmbeddingSpace value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(
            writer,
            new StoredSpace(value.ModelId, value.Revision, value.Dimensions, value.Metric, value.Normalized)
            {
                IsRaw = value.IsRaw,
                DocumentPrompt = value.DocumentPrompt,
                QueryPrompt = value.QueryPrompt,
            },
            options);

    // The members in the order the record had them, so the written JSON is byte for byte what it was.
    private sealed record StoredSpace(string ModelId, string Revision, int Dimensions, DistanceMetric Metric, bool Normalized)
    {
        public bool IsRaw { get; init; }

        public string? DocumentPrompt { get; init; }

        public string? QueryPrompt { get; init; }
    }
}
