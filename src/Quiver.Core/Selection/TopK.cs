namespace Quiver.Core.Selection;

/// <summary>
/// Keeps the k entries with the highest keys seen so far in a bounded min-heap: O(n log k) over n offers and no
/// full sort. Ties keep the entry with the lower index, so results are deterministic.
/// </summary>
public sealed class TopK
{
    private readonly int[] _indexes;
    private readonly float[] _keys;

    public TopK(int k)
    {
        if (k <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        }

        _indexes = new int[k];
        _keys = new float[k];
    }

    public int Capacity => _keys.Length;

    public int Count { get; private set; }

    /// <summary>The smallest key kept once the selection is full; an offer must beat it to enter.</summary>
    public float Threshold => Count < Capacity ? float.NegativeInfinity : _keys[0];

    public bool IsFull => Count == Capacity;

    /// <summary>Offers an entry; returns whether it was kept.</summary>
    public bool Offer(int index, float key)
    {
        if (float.IsNaN(key))
        {
            throw new ArgumentException($"The key for index {index} is NaN; keys must be comparable numbers.", nameof(key));
        }

        if (Count < Capacity)
        {
            _indexes[Count] = index;
            _keys[Count] = key;
            SiftUp(Count);
            Count++;
            return true;
        }

        if (!Worse(_indexes[0], _keys[0], index, key))
        {
            return false;
        }

        _indexes[0] = index;
        _keys[0] = key;
        SiftDown(0);
        return true;
    }

    /// <summary>The kept entries, best first. The selection is left empty.</summary>
    public ScoredIndex[] Drain()
    {
        var result = new ScoredIndex[Count];
        for (var i = Count - 1; i >= 0; i--)
        {
            result[i] = new ScoredIndex(_indexes[0], _keys[0]);
            Count--;
            if (Count > 0)
            {
                _indexes[0] = _indexes[Count];
                _keys[0] = _keys[Count];
                SiftDown(0);
            }
        }

        return result;
    }

    // Whether entry (ia, ka) ranks below entry (ib, kb): a lower key, or an equal key and a higher index.
    private static bool Worse(int ia, float ka, int ib, float kb) => ka < kb || (ka == kb && ia > ib);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Worse(_indexes[i], _keys[i], _indexes[parent], _keys[parent]))
            {
                return;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= Count)
            {
                return;
            }

            var worst = left;
            var right = left + 1;
            if (right < Count && Worse(_indexes[right], _keys[right], _indexes[left], _keys[left]))
            {
                worst = right;
            }

            if (!Worse(_indexes[worst], _keys[worst], _indexes[i], _keys[i]))
            {
                return;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_indexes[a], _indexes[b]) = (_indexes[b], _indexes[a]);
        (_keys[a], _keys[b]) = (_keys[b], _keys[a]);
    }
}
