namespace Quiver.Training.Words;

/// <summary>
/// The table negative samples are drawn from: word ids repeated in proportion to count^0.75, filled by word2vec's
/// InitUnigramTable walk. word2vec uses 10^8 slots; 10^7 keeps the same distribution to within a slot for
/// vocabularies of a million words and takes 40 MB instead of 400.
/// </summary>
internal sealed class UnigramTable
{
    public const int DefaultSize = 10_000_000;

    public UnigramTable(ReadOnlySpan<long> counts, int size = DefaultSize, double power = 0.75)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (counts.Length == 0)
        {
            throw new ArgumentException("A unigram table needs at least one word.", nameof(counts));
        }

        Slots = GC.AllocateUninitializedArray<int>(size, pinned: true);
        double total = 0;
        foreach (var c in counts)
        {
            total += Math.Pow(c, power);
        }

        var i = 0;
        var d1 = Math.Pow(counts[0], power) / total;
        for (var a = 0; a < size; a++)
        {
            Slots[a] = i;
            if (a / (double)size > d1)
            {
                i++;
                if (i < counts.Length)
                {
                    d1 += Math.Pow(counts[i], power) / total;
                }
            }

            if (i >= counts.Length)
            {
                i = counts.Length - 1;
            }
        }
    }

    public int[] Slots { get; }

    public int Size => Slots.Length;
}
