using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Quiver.Store.Index.Quantization;

/// <summary>
/// Scalar int8 quantisation with per-dimension ranges: code = round((x − min) / (max − min) · 255). A query is
/// compared with codes without decoding them: x·q = Σ min·q + Σ (scale·q)·code, so a dot product over bytes plus a
/// constant; squared L2 expands the same way.
/// </summary>
internal sealed class ScalarQuantizer
{
    private readonly float[] _min;
    private readonly float[] _scale;

    private ScalarQuantizer(float[] min, float[] scale)
    {
        _min = min;
        _scale = scale;
    }

    public int Dimensions => _min.Length;

    /// <summary>Fits per-dimension ranges on the given rows.</summary>
    public static ScalarQuantizer Fit(ReadOnlySpan<float> rows, int dimensions)
    {
        var min = new float[dimensions];
        var max = new float[dimensions];
        Array.Fill(min, float.MaxValue);
        Array.Fill(max, float.MinValue);
        for (var offset = 0; offset < rows.Length; offset += dimensions)
        {
            var row = rows.Slice(offset, dimensions);
            TensorPrimitives.Min(min, row, min);
            TensorPrimitives.Max(max, row, max);
        }

        var scale = new float[dimensions];
        for (var j = 0; j < dimensions; j++)
        {
            scale[j] = max[j] > min[j] ? (max[j] - min[j]) / 255f : 0f;
        }

        return new ScalarQuantizer(min, scale);
    }

    public void Encode(ReadOnlySpan<float> vector, Span<byte> code)
    {
        for (var j = 0; j < vector.Length; j++)
        {
            code[j] = _scale[j] == 0 ? (byte)0 : (byte)Math.Clamp(MathF.Round((vector[j] - _min[j]) / _scale[j]), 0, 255);
        }
    }

    /// <summary>A query prepared for fast comparison with codes: q·scale per dimension and the constant Σ q·min.</summary>
    public (float[] Weights, float Offset) PrepareDot(ReadOnlySpan<float> query)
    {
        var weights = new float[query.Length];
        TensorPrimitives.Multiply(query, _scale, weights);
        return (weights, TensorPrimitives.Dot(query, _min));
    }

    /// <summary>The approximate dot product of the prepared query with a code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float[] weights, float offset, ReadOnlySpan<byte> code)
    {
        ref var w = ref MemoryMarshal.GetArrayDataReference(weights);
        ref var c = ref MemoryMarshal.GetReference(code);
        var n = code.Length;
        var i = 0;
        var sum = 0f;
        if (Avx512F.IsSupported && n >= 16)
        {
            // 16 codes at a time: zero-extend bytes to int32 (vpmovzxbd), convert, multiply-add.
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var ints = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref c, (nuint)i));
                acc = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(ints), Vector512.LoadUnsafe(ref w, (nuint)i), acc);
            }

            sum = Vector512.Sum(acc);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref c, i))).AsByte();
                var ints = Vector256.WidenLower(Vector256.WidenLower(bytes.ToVector256Unsafe()));
                acc = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(ints.AsInt32()), Vector256.LoadUnsafe(ref w, (nuint)i), acc);
            }

            sum += Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref c, i);
        }

        return offset + sum;
    }

    /// <summary>Decodes a code back to an approximate vector (for squared L2 and for tests).</summary>
    public void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        for (var j = 0; j < code.Length; j++)
        {
            vector[j] = _min[j] + (_scale[j] * code[j]);
        }
    }
}
