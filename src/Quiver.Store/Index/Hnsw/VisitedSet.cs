namespace Quiver.Store.Index.Hnsw;

/// <summary>
/// A reusable visited marker: a 16-bit generation number per node (half the cache footprint of 32 bits), so clearing
/// is O(1) except once every 65,535 searches.
/// </summary>
internal sealed class VisitedSet
{
    private ushort[] _marks = new ushort[1024];
    private ushort _generation;

    public void Reset(int capacity)
    {
        if (_marks.Length < capacity)
        {
            _marks = new ushort[Math.Max(capacity, _marks.Length * 2)];
            _generation = 0;
        }

        if (++_generation == ushort.MaxValue)
        {
            Array.Clear(_marks);
            _generation = 1;
        }
    }

    /// <summary>Marks a node; returns false when it was already marked in this generation.</summary>
    public bool Visit(int node)
    {
        if (_marks[node] == _generation)
        {
            return false;
        }

        _marks[node] = _generation;
        return true;
    }
}
