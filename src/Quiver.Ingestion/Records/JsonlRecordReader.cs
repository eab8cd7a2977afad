using System.Text.Json;

namespace Quiver.Ingestion.Records;

/// <summary>One JSON object per line, its text in a string field; blank lines are skipped.</summary>
internal sealed class JsonlRecordReader(Stream input, TextRecordOptions options) : TextRecordReader(input)
{
    private protected override (long Line, string Text, JsonElement? Id)? ReadNext()
    {
        while (Source.TryRead(out var bytes, out _))
        {
            if (bytes.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            var line = Source.Line;
            using var record = Parse(bytes, line);
            var root = record.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TextRecordException(line, $"line {line} is a JSON {Kind(root)}, not an object. A JSONL file holds one JSON object per line, with the text in a string field.");
            }

            if (!root.TryGetProperty(options.Field, out var text))
            {
                throw new TextRecordException(
                    line, $"line {line} has no \"{options.Field}\" field (its fields: {Fields(root)}). Name the field that holds the text (--field NAME).");
            }

            if (text.ValueKind != JsonValueKind.String)
            {
                throw new TextRecordException(line, $"line {line}: the field \"{options.Field}\" is a JSON {Kind(text)}, not a string. The text to embed must be a JSON string.");
            }

            JsonElement? id = null;
            if (options.IdField is { } idField)
            {
                id = root.TryGetProperty(idField, out var value)
                    ? value.Clone()
                    : throw new TextRecordException(
                        line, $"line {line} has no \"{idField}\" field for its id (its fields: {Fields(root)}). Every record needs the id field, or leave out --id-field to number records by position.");
            }

            return (line, text.GetString()!, id);
        }

        return null;
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> bytes, long line)
    {
        try
        {
            // Parse (unlike ParseValue) also refuses anything after the object.
            return JsonDocument.Parse(bytes.ToArray());
        }
        catch (JsonException e)
        {
            throw new TextRecordException(line, $"line {line} is not valid JSON ({e.Message}) A JSONL file holds one JSON object per line.", e);
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Number => "number",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "object",
    };

    private static string Fields(JsonElement record) =>
        record.EnumerateObject().Any() ? string.Join(", ", record.EnumerateObject().Select(p => p.Name).Take(20)) : "none";
}
