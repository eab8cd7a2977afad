using static Quiver.Catalogue.Import.Onnx.Proto.TensorProto.Types;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>Reading TensorFlow types from JSON, and their ONNX counterparts.</summary>
internal static class TfDataTypes
{
    /// <summary>Reads a type written as a number (1) or by name ("DT_FLOAT").</summary>
    public static TfDataType Parse(System.Text.Json.JsonElement value, string where)
    {
        if (value.ValueKind == System.Text.Json.JsonValueKind.Number)
        {
            return Known((TfDataType)value.GetInt32(), value.ToString(), where);
        }

        var name = value.GetString() ?? string.Empty;
        TfDataType type = name switch
        {
            "DT_FLOAT" => TfDataType.Float,
            "DT_DOUBLE" => TfDataType.Double,
            "DT_INT32" => TfDataType.Int32,
            "DT_UINT8" => TfDataType.UInt8,
            "DT_INT16" => TfDataType.Int16,
            "DT_INT8" => TfDataType.Int8,
            "DT_STRING" => TfDataType.String,
            "DT_INT64" => TfDataType.Int64,
            "DT_BOOL" => TfDataType.Bool,
            "DT_UINT16" => TfDataType.UInt16,
            "DT_HALF" => TfDataType.Half,
            _ => TfDataType.Invalid,
        };
        return Known(type, name, where);
    }

    /// <summary>The ONNX element type with the same values; strings have none in the graphs Quiver imports.</summary>
    public static DataType ToOnnx(this TfDataType type) => type switch
    {
        TfDataType.Float => DataType.Float,
        TfDataType.Double => DataType.Double,
        TfDataType.Int32 => DataType.Int32,
        TfDataType.UInt8 => DataType.Uint8,
        TfDataType.Int16 => DataType.Int16,
        TfDataType.Int8 => DataType.Int8,
        TfDataType.Int64 => DataType.Int64,
        TfDataType.Bool => DataType.Bool,
        TfDataType.UInt16 => DataType.Uint16,
        TfDataType.Half => DataType.Float16,
        _ => throw new TfJsImportException($"TensorFlow type {type.Name()} has no ONNX equivalent that Quiver imports."),
    };

    public static string Name(this TfDataType type) => type switch
    {
        TfDataType.UInt8 => "DT_UINT8",
        TfDataType.UInt16 => "DT_UINT16",
        TfDataType.Int8 => "DT_INT8",
        TfDataType.Int16 => "DT_INT16",
        TfDataType.Int32 => "DT_INT32",
        TfDataType.Int64 => "DT_INT64",
        _ => "DT_" + type.ToString().ToUpperInvariant(),
    };

    public static bool IsInteger(this TfDataType type) =>
        type is TfDataType.Int32 or TfDataType.Int64 or TfDataType.UInt8 or TfDataType.Int16 or TfDataType.Int8 or TfDataType.UInt16;

    private static TfDataType Known(TfDataType type, string written, string where) =>
        Enum.IsDefined(type) && type != TfDataType.Invalid
            ? type
            : throw new TfJsImportException($"{where} has TensorFlow type '{written}', which the importer does not know (it reads DT_FLOAT, DT_DOUBLE, DT_HALF, DT_INT8/16/32/64, DT_UINT8/16, DT_BOOL and DT_STRING).");
}
