using System.Runtime.InteropServices;

namespace Quiver.Training.GloVe;

/// <summary>
/// One co-occurrence: word <see cref="Word"/> (0-based vocabulary id, trained as a word vector) seen with
/// <see cref="Context"/> (trained as a context vector) with summed weight <see cref="Value"/>. 16 bytes on disk,
/// little-endian, as glove's CREC with 0-based ids.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct CooccurrenceRecord(int Word, int Context, double Value)
{
    public const int Size = 16;

    /// <summary>Word then context: the order runs are sorted and merged in.</summary>
    public long Key => ((long)Word << 32) | (uint)Context;
}
