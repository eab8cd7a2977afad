using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Quiver.Store.Index;

/// <summary>
/// Distance kernels for the index hot paths: no argument checks (rows were validated when stored) and no
/// per-call dispatch beyond a hardware test the JIT folds to a constant.
/// </summary>
internal static class Kernels
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        var n = a.Length;
        var i = 0;
        float sum;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pb, (nuint)i), acc);
            }

            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i), acc);
            }

            sum = Vector256.Sum(acc);
        }
        else
        {
            sum = 0;
        }

        if (Vector128.IsHardwareAccelerated && i <= n - 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= n - 4; i += 4)
            {
                acc = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref pa, (nuint)i), Vector128.LoadUnsafe(ref pb, (nuint)i), acc);
            }

            sum += Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        var n = a.Length;
        var i = 0;
        float sum;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var d = Vector512.LoadUnsafe(ref pa, (nuint)i) - Vector512.LoadUnsafe(ref pb, (nuint)i);
                acc = Vector512.FusedMultiplyAdd(d, d, acc);
            }

            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var d = Vector256.LoadUnsafe(ref pa, (nuint)i) - Vector256.LoadUnsafe(ref pb, (nuint)i);
                acc = Vector256.FusedMultiplyAdd(d, d, acc);
            }

            sum = Vector256.Sum(acc);
        }
        else
        {
            sum = 0;
        }

        if (Vector128.IsHardwareAccelerated && i <= n - 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var d = Vector128.LoadUnsafe(ref pa, (nuint)i) - Vector128.LoadUnsafe(ref pb, (nuint)i);
                acc = Vector128.FusedMultiplyAdd(d, d, acc);
            }

            sum += Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            var d = Unsafe.Add(ref pa, i) - Unsafe.Add(ref pb, i);
            sum += d * d;
        }

        return sum;
    }
}
