namespace Quiver.Store.Index.Hnsw;

/// <summary>A reusable visited marker: a generation number per node, so clearing is O(1).</summary>
internal sealed class VisitedSet
{
    private int[] _marks = new int[1024];
    private int _generation;

    public void Reset(int capacity)
    {
        if (_marks.Length < capacity)
        {
            _marks = new int[Math.Max(capacity, _marks.Length * 2)];
            _generation = 0;
        }

        if (++_generation == int.MaxValue)
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
