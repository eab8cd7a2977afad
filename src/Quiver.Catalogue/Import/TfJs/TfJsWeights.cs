using System.Buffers.Binary;
using System.Text.Json;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// The weights of a model.json's <c>weightsManifest</c>, decoded as TensorFlow.js does (tfjs-core io_utils
/// decodeWeights): each group's shard files concatenated in order, its weights laid out one after another in manifest
/// order, little-endian. Quantized weights are dequantised on the way: uint8 and uint16 as q × scale + min (rounded to
/// the nearest integer, ties up, for int32 weights), float16 to float32.
/// </summary>
internal static class TfJsWeights
{
    public static Dictionary<string, TfJsTensor> Read(string modelJsonPath, JsonElement manifest)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!;
        return Read(modelJsonPath, manifest, paths => ReadShards(modelJsonPath, folder, paths));
    }

    /// <summary>
    /// The weights of a manifest whose shards come from elsewhere than files beside model.json (such as the script
    /// bundles nsfwjs ships): <paramref name="readGroup"/> returns a group's shards, concatenated, for its paths.
    /// </summary>
    public static Dictionary<string, TfJsTensor> Read(string modelJsonPath, JsonElement manifest, Func<string[], byte[]> readGroup)
    {
        var weights = new Dictionary<string, TfJsTensor>(StringComparer.Ordinal);
        foreach (var group in manifest.EnumerateArray())
        {
            var paths = TfJsJson.Array(group, "paths").Select(p => p.GetString()!).ToArray();
            var data = readGroup(paths);
            var offset = 0L;
            foreach (var spec in TfJsJson.Array(group, "weights"))
            {
                var (name, tensor, size) = Decode(spec, data, offset, modelJsonPath, paths);
                offset += size;
                if (!weights.TryAdd(name, tensor))
                {
                    throw new TfJsImportException($"{modelJsonPath}: the weights manifest lists weight '{name}' twice.");
                }
            }
        }

        return weights;
    }

    private static byte[] ReadShards(string modelJsonPath, string folder, string[] paths)
    {
        var parts = new List<byte[]>(paths.Length);
        foreach (var path in paths)
        {
            var full = Path.Combine(folder, Uri.UnescapeDataString(path));
            if (!File.Exists(full))
            {
                throw new TfJsImportException(
                    $"Weight shard '{path}', listed in the weights manifest of {modelJsonPath}, is missing (looked for {full}). Copy every shard next to model.json.");
            }

            parts.Add(File.ReadAllBytes(full));
        }

        var data = new byte[parts.Sum(p => (long)p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(data, at);
            at += part.Length;
        }

        return data;
    }

    private static (string Name, TfJsTensor Tensor, long Size) Decode(JsonElement spec, byte[] data, long offset, string modelJsonPath, string[] paths)
    {
        var name = TfJsJson.Property(spec, "name")?.GetString()
            ?? throw new TfJsImportException($"{modelJsonPath}: a weight in the manifest has no name.");
        var where = $"Weight '{name}' of {modelJsonPath}";
        var dtype = TfJsJson.Property(spec, "dtype")?.GetString() ?? "float32";
        var shape = TfJsJson.Array(spec, "shape").Select(TfJsJson.Int64).ToArray();
        if (shape.Any(d => d < 0))
        {
            throw new TfJsImportException($"{where} has shape {TfJsShape.Format(shape)}; weights need every dimension.");
        }

        var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        var quantization = TfJsJson.Property(spec, "quantization");
        var stored = quantization is { } q ? TfJsJson.Property(q, "dtype")?.GetString() ?? string.Empty : dtype;
        var width = stored switch
        {
            "float32" or "int32" => 4,
            "uint16" or "float16" => 2,
            "uint8" or "bool" => 1,
            _ => throw new TfJsImportException(quantization is null
                ? $"{where} has dtype '{dtype}'; the importer reads float32, int32 and bool weights."
                : $"{where} is quantized as '{stored}'; TensorFlow.js quantizes as uint8, uint16 or float16."),
        };
        var size = (long)count * width;
        if (offset + size > data.Length)
        {
            throw new TfJsImportException(
                $"{where} needs bytes {offset:N0} to {offset + size:N0} of its group's shards ({string.Join(", ", paths)}), which hold {data.Length:N0} bytes: a shard is short or missing from the manifest. Download the model again.");
        }

        var bytes = data.AsSpan((int)offset, (int)size);
        TfJsTensor tensor;
        if (quantization is { } quantized)
        {
            tensor = Dequantize(quantized, stored, dtype, shape, bytes, where);
        }
        else if (dtype == "float32")
        {
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
            }

            tensor = TfJsTensor.OfFloats(shape, values);
        }
        else
        {
            var values = new long[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = dtype == "int32" ? BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]) : bytes[i] != 0 ? 1 : 0;
            }

            tensor = TfJsTensor.OfIntegers(dtype == "int32" ? TfDataType.Int32 : TfDataType.Bool, shape, values);
        }

        return (name, tensor, size);
    }

    private static TfJsTensor Dequantize(JsonElement quantization, string stored, string dtype, long[] shape, ReadOnlySpan<byte> bytes, string where)
    {
        var count = bytes.Length / (stored == "uint8" ? 1 : 2);
        if (stored == "float16")
        {
            if (dtype != "float32")
            {
                throw new TfJsImportException($"{where} is quantized as float16, which only float32 weights can be, not {dtype}.");
            }

            var halves = new float[count];
            for (var i = 0; i < count; i++)
            {
                halves[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
            }

            return TfJsTensor.OfFloats(shape, halves);
        }

        if (TfJsJson.Property(quantization, "scale") is not { } scaleValue || TfJsJson.Property(quantization, "min") is not { } minValue)
        {
            throw new TfJsImportException($"{where} is quantized as {stored} but has no scale and min to dequantise with.");
        }

        // Doubles, as JavaScript computes q * scale + min before storing it in a Float32Array or rounding it.
        var scale = TfJsJson.Double(scaleValue);
        var min = TfJsJson.Double(minValue);
        var quantized = new int[count];
        for (var i = 0; i < count; i++)
        {
            quantized[i] = stored == "uint8" ? bytes[i] : BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]);
        }

        switch (dtype)
        {
            case "float32":
                return TfJsTensor.OfFloats(shape, [.. quantized.Select(q => (float)((q * scale) + min))]);
            case "int32":
                // Math.round in JavaScript: the nearest integer, ties towards +infinity.
                return TfJsTensor.OfIntegers(TfDataType.Int32, shape, [.. quantized.Select(q => (long)Math.Floor((q * scale) + min + 0.5))]);
            default:
                throw new TfJsImportException($"{where} has dtype {dtype}; only float32 and int32 weights can be quantized as {stored}.");
        }
    }
}
