using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Quiver.Training.Words;

/// <summary>
/// Dot product and y += a·x on raw rows. Training calls these a few hundred million times on rows of ~100 floats,
/// where TensorPrimitives' per-call checks and dispatch cost more than the arithmetic; rows are shared between
/// threads without locks (Hogwild), so they are addressed by pointer rather than span.
/// </summary>
internal static unsafe class VectorKernels
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* x, float* y, int n)
    {
        var i = 0;
        float sum;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var a0 = Vector256<float>.Zero;
            var a1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i + 8), Vector256.Load(y + i + 8), a1);
            }

            if (i <= n - 8)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), a0);
                i += 8;
            }

            sum = Vector256.Sum(a0 + a1);
        }
        else
        {
            sum = 0;
        }

        for (; i < n; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>y += a·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, float* x, float* y, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i <= n - 8; i += 8)
            {
                Vector256.Store(Vector256.FusedMultiplyAdd(va, Vector256.Load(x + i), Vector256.Load(y + i)), y + i);
            }
        }

        for (; i < n; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>y += x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* x, float* y, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                Vector256.Store(Vector256.Load(x + i) + Vector256.Load(y + i), y + i);
            }
        }

        for (; i < n; i++)
        {
            y[i] += x[i];
        }
    }

    /// <summary>x *= a.</summary>
    public static void Scale(float* x, float a, int n)
    {
        for (var i = 0; i < n; i++)
        {
            x[i] *= a;
        }
    }

    public static void Clear(float* x, int n) => new Span<float>(x, n).Clear();
}
