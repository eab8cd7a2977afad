using System.Globalization;
using System.Text.Json;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// Reading protobuf JSON as TensorFlow.js's converter writes it: fields by their lowerCamel name (protobuf's JSON
/// mapping) or their proto name, 64-bit integers as strings or numbers, bytes as base64 or as an array of numbers.
/// </summary>
internal static class TfJsJson
{
    public static JsonElement? Property(JsonElement element, string camelName, string? protoName = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty(camelName, out var value) || (protoName is not null && element.TryGetProperty(protoName, out value)))
        {
            return value.ValueKind == JsonValueKind.Null ? null : value;
        }

        return null;
    }

    public static long Int64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.String => long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"Expected an integer, found {value.ValueKind} '{value}'."),
    };

    /// <summary>A float as a number or as one of the strings protobuf JSON uses for the special values.</summary>
    public static double Double(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var text => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture),
        },
        _ => throw new FormatException($"Expected a number, found {value.ValueKind} '{value}'."),
    };

    public static bool Bool(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => bool.Parse(value.GetString()!),
        _ => throw new FormatException($"Expected a boolean, found {value.ValueKind} '{value}'."),
    };

    public static byte[] Bytes(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Convert.FromBase64String(value.GetString()!),
        JsonValueKind.Array => [.. value.EnumerateArray().Select(b => b.GetByte())],
        _ => throw new FormatException($"Expected bytes (base64 or an array of numbers), found {value.ValueKind}."),
    };

    public static IEnumerable<JsonElement> Array(JsonElement element, string camelName, string? protoName = null) =>
        Property(element, camelName, protoName) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];
}
