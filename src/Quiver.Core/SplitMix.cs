namespace Quiver.Core;

/// <summary>
/// SplitMix64 (Steele et al.): a small, fast generator whose sequence depends only on its seed (System.Random's seeded
/// sequence is only promised within one .NET version, and projections and random walks should stay reproducible
/// across upgrades). A value type, so one per walk or per thread costs nothing to create.
/// </summary>
public struct SplitMix(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An integer in [0, bound).</summary>
    public int NextInt(int bound) => (int)((Next() >> 32) * (ulong)bound >> 32);

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public double NextGaussian()
    {
        var u = 1.0 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
