using System.Text.Json;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// Static shapes as the importer tracks them: null for an unknown rank, -1 for a dimension known only at run time.
/// </summary>
internal static class TfJsShape
{
    /// <summary>
    /// A TensorShapeProto in JSON: null when it says <c>unknownRank</c>; an absent one is the empty message, a
    /// scalar's shape. Protobuf JSON leaves out a dimension's size when it is 0.
    /// </summary>
    public static long[]? FromJson(JsonElement? shape)
    {
        if (shape is not { } value)
        {
            return [];
        }

        if (TfJsJson.Property(value, "unknownRank", "unknown_rank") is { } unknown && TfJsJson.Bool(unknown))
        {
            return null;
        }

        return [.. TfJsJson.Array(value, "dim").Select(d => TfJsJson.Property(d, "size") is { } size ? TfJsJson.Int64(size) : 0)];
    }

    public static string Format(long[]? shape) =>
        shape is null ? "(unknown rank)" : "[" + string.Join(", ", shape.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
