namespace Quiver.Training.GloVe;

/// <summary>
/// An open-addressing hash table from (word, context) to summed weight, of fixed capacity: 16 bytes a slot, so
/// its memory is known up front. When it is full the caller spills it as a sorted run and clears it.
/// </summary>
internal sealed class CooccurrenceTable
{
    private const long Empty = -1;

    // Filling past this leaves probe sequences long; spilling earlier costs little more than a run file.
    private const double MaxLoad = 0.7;

    private readonly long[] _keys;
    private readonly double[] _values;
    private readonly int _mask;
    private readonly int _shift;
    private readonly int _limit;

    /// <param name="memoryBytes">Memory for the table; it gets the largest power-of-two number of slots that fits (at least 16).</param>
    public CooccurrenceTable(long memoryBytes)
    {
        var slots = 16L;
        while (slots * 2 * CooccurrenceRecord.Size <= memoryBytes && slots < 1 << 30)
        {
            slots *= 2;
        }

        _keys = new long[slots];
        _values = new double[slots];
        _mask = (int)slots - 1;
        _shift = 64 - System.Numerics.BitOperations.Log2((ulong)slots);
        _limit = (int)(slots * MaxLoad);
        Array.Fill(_keys, Empty);
    }

    public int Count { get; private set; }

    public bool IsFull => Count >= _limit;

    public void Add(int word, int context, double weight)
    {
        var key = ((long)word << 32) | (uint)context;
        // Fibonacci hashing: the top bits of key × 2^64/φ spread neighbouring ids over the whole table.
        var slot = (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);
        while (true)
        {
            var k = _keys[slot];
            if (k == key)
            {
                _values[slot] += weight;
                return;
            }

            if (k == Empty)
            {
                _keys[slot] = key;
                _values[slot] = weight;
                Count++;
                return;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Writes the entries sorted by (word, context) and empties the table.</summary>
    public void SpillSorted(Stream destination)
    {
        // Pack the entries to the front in place: the table is emptied afterwards anyway, so no second buffer is needed.
        var n = 0;
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] != Empty)
            {
                _keys[n] = _keys[i];
                _values[n] = _values[i];
                n++;
            }
        }

        Array.Sort(_keys, _values, 0, n);
        var block = new CooccurrenceRecord[Math.Min(n, 1 << 13)];
        for (var start = 0; start < n; start += block.Length)
        {
            var length = Math.Min(block.Length, n - start);
            for (var i = 0; i < length; i++)
            {
                var key = _keys[start + i];
                block[i] = new CooccurrenceRecord((int)(key >> 32), (int)(uint)key, _values[start + i]);
            }

            RecordFile.Write(destination, block.AsSpan(0, length));
        }

        Array.Fill(_keys, Empty);
        Count = 0;
    }
}
