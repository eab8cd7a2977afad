namespace Quiver.Training.Words;

/// <summary>
/// word2vec's random numbers: the 48-bit linear congruential step next = next·25214903917 + 11 on 64 bits, one per
/// thread, so a run with one thread and a fixed seed repeats exactly.
/// </summary>
internal struct Lcg(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state = (_state * 25214903917UL) + 11;
        return _state;
    }

    /// <summary>Uniform in [0, 1) from the low 16 bits, as word2vec draws its subsampling and initial weights.</summary>
    public float NextUnit16() => (Next() & 0xFFFF) / 65536f;
}
