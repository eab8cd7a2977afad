namespace Quiver.Training.GloVe;

/// <summary>
/// An open-addressing hash table from (word, context) to summed weight, 16 bytes a slot, that grows by doubling up
/// to the memory it is given (counting the old and new arrays while it doubles). When it is full at that size the
/// caller spills it as a sorted run and clears it.
/// </summary>
internal sealed class CooccurrenceTable
{
    private const long Empty = -1;

    // Filling past this leaves probe sequences long; spilling earlier costs little more than a run file.
    private const double MaxLoad = 0.7;

    // Tables start at this many slots and double while they fit in the memory given, so a small corpus never
    // allocates the whole limit.
    private const int InitialSlots = 1 << 16;

    private readonly long _maxSlots;
    private long[] _keys = [];
    private double[] _values = [];
    private int _mask;
    private int _shift;
    private int _limit;

    /// <param name="memoryBytes">Memory for the table; it grows to the largest power-of-two number of slots that fits (at least 16).</param>
    public CooccurrenceTable(long memoryBytes)
    {
        var slots = 16L;
        // While doubling, the old half-size arrays and the new ones are both alive: 1.5 × 16 bytes a final slot.
        while (slots * 2 * (CooccurrenceRecord.Size * 3 / 2) <= memoryBytes && slots < 1 << 30)
        {
            slots *= 2;
        }

        _maxSlots = slots;
        Allocate((int)Math.Min(slots, InitialSlots));
    }

    public int Count { get; private set; }

    /// <summary>Whether the table is at its fill limit and at its memory limit: the caller must spill it.</summary>
    public bool IsFull
    {
        get
        {
            if (Count < _limit)
            {
                return false;
            }

            if (_keys.Length >= _maxSlots)
            {
                return true;
            }

            Grow();
            return false;
        }
    }

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

    private void Allocate(int slots)
    {
        _keys = new long[slots];
        _values = new double[slots];
        _mask = slots - 1;
        _shift = 64 - System.Numerics.BitOperations.Log2((ulong)slots);
        _limit = (int)(slots * MaxLoad);
        Array.Fill(_keys, Empty);
    }

    private void Grow()
    {
        var keys = _keys;
        var values = _values;
        Allocate(keys.Length * 2);
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != Empty)
            {
                Insert(keys[i], values[i]);
            }
        }
    }

    private void Insert(long key, double value)
    {
        var slot = (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);
        while (_keys[slot] != Empty)
        {
            slot = (slot + 1) & _mask;
        }

        _keys[slot] = key;
        _values[slot] = value;
    }
}
