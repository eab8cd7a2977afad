using System.Buffers.Binary;
using System.Text.Json;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// A constant's values in row-major order: floats for DT_FLOAT, integers for DT_INT32, DT_INT64 and DT_BOOL (0 and
/// 1), the types TensorFlow.js graphs hold constants in.
/// </summary>
internal sealed class TfJsTensor
{
    private TfJsTensor(TfDataType type, long[] shape, float[]? floats, long[]? integers)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if ((floats?.Length ?? integers!.Length) != count)
        {
            throw new ArgumentException($"{floats?.Length ?? integers!.Length} values do not fill the shape [{string.Join(", ", shape)}].", nameof(shape));
        }

        Type = type;
        Shape = shape;
        Floats = floats;
        Integers = integers;
    }

    public TfDataType Type { get; }

    public long[] Shape { get; }

    /// <summary>The values of a DT_FLOAT constant; null for the other types.</summary>
    public float[]? Floats { get; }

    /// <summary>The values of an integer or bool constant; null for DT_FLOAT.</summary>
    public long[]? Integers { get; }

    public static TfJsTensor OfFloats(long[] shape, float[] values) => new(TfDataType.Float, shape, values, null);

    public static TfJsTensor OfIntegers(TfDataType type, long[] shape, long[] values)
    {
        Supported(type, "an integer constant");
        return type == TfDataType.Float ? throw new ArgumentException("DT_FLOAT holds floats.", nameof(type)) : new(type, shape, null, values);
    }

    /// <summary>
    /// A TensorProto in JSON (a Const node's <c>value</c> attribute): values from <c>tensorContent</c> (raw
    /// little-endian) or from the typed value list, where TensorFlow repeats the last listed value to fill the shape.
    /// Returns null when the proto holds no values for a non-empty shape, as it does for weights, which the converter
    /// moves to the weights manifest.
    /// </summary>
    public static TfJsTensor? FromJson(JsonElement tensor, TfDataType declared, string where)
    {
        var type = TfJsJson.Property(tensor, "dtype") is { } dtype ? TfDataTypes.Parse(dtype, where) : declared;
        Supported(type, where);
        var shape = TfJsShape.FromJson(TfJsJson.Property(tensor, "tensorShape", "tensor_shape"));
        if (shape is null || shape.Any(d => d < 0))
        {
            throw new TfJsImportException($"{where}: a constant needs a fully known shape, not {TfJsShape.Format(shape)}.");
        }

        var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        if (TfJsJson.Property(tensor, "tensorContent", "tensor_content") is { } content && TfJsJson.Bytes(content) is { Length: > 0 } bytes)
        {
            return FromLittleEndian(type, shape, bytes, count, where);
        }

        if (type == TfDataType.Float)
        {
            var floats = TfJsJson.Array(tensor, "floatVal", "float_val").Select(v => (float)TfJsJson.Double(v)).ToArray();
            return floats.Length == 0 && count > 0 ? null : OfFloats(shape, Fill(floats, count, where));
        }

        var integers = (type switch
        {
            TfDataType.Bool => TfJsJson.Array(tensor, "boolVal", "bool_val").Select(v => TfJsJson.Bool(v) ? 1L : 0L),
            TfDataType.Int64 => TfJsJson.Array(tensor, "int64Val", "int64_val").Select(TfJsJson.Int64),
            _ => TfJsJson.Array(tensor, "intVal", "int_val").Select(TfJsJson.Int64),
        }).ToArray();
        return integers.Length == 0 && count > 0 ? null : OfIntegers(type, shape, Fill(integers, count, where));
    }

    /// <summary>
    /// The same values declared as another type: the weights manifest has no int64, so TensorFlow.js's converter
    /// writes a DT_INT64 constant's values as int32.
    /// </summary>
    public TfJsTensor As(TfDataType type, string where)
    {
        if (type == Type)
        {
            return this;
        }

        Supported(type, where);
        if ((type == TfDataType.Float) != (Floats is not null))
        {
            throw new TfJsImportException($"{where} is declared {type.Name()}, but its weights hold {Type.Name()} values.");
        }

        return new TfJsTensor(type, Shape, Floats, Integers);
    }

    private static TfJsTensor FromLittleEndian(TfDataType type, long[] shape, byte[] bytes, int count, string where)
    {
        var size = type switch
        {
            TfDataType.Float or TfDataType.Int32 => 4,
            TfDataType.Int64 => 8,
            _ => 1,
        };
        if (bytes.Length != count * size)
        {
            throw new TfJsImportException($"{where}: tensorContent has {bytes.Length} bytes, but {count} values of {type.Name()} take {count * size}.");
        }

        if (type == TfDataType.Float)
        {
            var floats = new float[count];
            for (var i = 0; i < count; i++)
            {
                floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
            }

            return OfFloats(shape, floats);
        }

        var integers = new long[count];
        for (var i = 0; i < count; i++)
        {
            integers[i] = type switch
            {
                TfDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4)),
                TfDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8)),
                _ => bytes[i] != 0 ? 1 : 0,
            };
        }

        return OfIntegers(type, shape, integers);
    }

    private static T[] Fill<T>(T[] values, int count, string where)
    {
        if (values.Length > count)
        {
            throw new TfJsImportException($"{where}: the tensor lists {values.Length} values for a shape of {count} elements.");
        }

        if (values.Length == count)
        {
            return values;
        }

        var filled = new T[count];
        values.CopyTo(filled, 0);
        Array.Fill(filled, values[^1], values.Length, count - values.Length);
        return filled;
    }

    private static void Supported(TfDataType type, string where)
    {
        if (type is not (TfDataType.Float or TfDataType.Int32 or TfDataType.Int64 or TfDataType.Bool))
        {
            throw new TfJsImportException($"{where}: constants of type {type.Name()} are not supported (DT_FLOAT, DT_INT32, DT_INT64 and DT_BOOL are).");
        }
    }
}
