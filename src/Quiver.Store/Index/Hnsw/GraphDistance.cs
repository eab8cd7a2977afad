using System.Runtime.CompilerServices;

namespace Quiver.Store.Index.Hnsw;

/// <summary>
/// A graph distance as a static interface, so the search loop is compiled once per metric with the kernel inlined
/// (no per-distance switch on the metric).
/// </summary>
internal interface IGraphDistance
{
    static abstract float Between(ReadOnlySpan<float> a, ReadOnlySpan<float> b);
}

/// <summary>1 − a·b, for unit vectors.</summary>
internal readonly struct CosineGraphDistance : IGraphDistance
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Between(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => 1 - Kernels.Dot(a, b);
}

/// <summary>−a·b.</summary>
internal readonly struct DotGraphDistance : IGraphDistance
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Between(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => -Kernels.Dot(a, b);
}

/// <summary>‖a − b‖².</summary>
internal readonly struct SquaredL2GraphDistance : IGraphDistance
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Between(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Kernels.SquaredL2(a, b);
}
