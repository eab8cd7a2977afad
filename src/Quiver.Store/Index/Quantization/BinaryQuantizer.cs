using System.Numerics;
using System.Numerics.Tensors;

namespace Quiver.Store.Index.Quantization;

/// <summary>
/// One bit per dimension: whether the component lies above that dimension's mean. Two codes are compared by Hamming
/// distance, which tracks the angle between the centred vectors.
/// </summary>
internal sealed class BinaryQuantizer
{
    private readonly float[] _mean;

    private BinaryQuantizer(float[] mean)
    {
        _mean = mean;
    }

    public int Words => (_mean.Length + 63) / 64;

    public static BinaryQuantizer Fit(ReadOnlySpan<float> rows, int dimensions)
    {
        var mean = new float[dimensions];
        var n = rows.Length / dimensions;
        for (var offset = 0; offset < rows.Length; offset += dimensions)
        {
            TensorPrimitives.Add(mean, rows.Slice(offset, dimensions), mean);
        }

        TensorPrimitives.Divide(mean, Math.Max(n, 1), mean);
        return new BinaryQuantizer(mean);
    }

    public void Encode(ReadOnlySpan<float> vector, Span<ulong> code)
    {
        code.Clear();
        for (var j = 0; j < vector.Length; j++)
        {
            if (vector[j] > _mean[j])
            {
                code[j >> 6] |= 1UL << (j & 63);
            }
        }
    }

    public static int Hamming(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var distance = 0;
        for (var i = 0; i < a.Length; i++)
        {
            distance += BitOperations.PopCount(a[i] ^ b[i]);
        }

        return distance;
    }
}
