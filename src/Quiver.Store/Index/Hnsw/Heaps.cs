using System.Runtime.CompilerServices;

namespace Quiver.Store.Index.Hnsw;

/// <summary>A binary heap of (distance, node) pairs; <paramref name="max"/> picks which end is on top.</summary>
internal sealed class DistanceHeap(bool max, int capacity = 64)
{
    private readonly bool _max = max;
    private float[] _keys = new float[capacity];
    private int[] _nodes = new int[capacity];

    public int Count { get; private set; }

    public float TopKey => _keys[0];

    public int TopNode => _nodes[0];

    public void Clear() => Count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Above(float a, float b) => _max ? a > b : a < b;

    public void Push(float key, int node)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _nodes, Count * 2);
        }

        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Above(key, _keys[parent]))
            {
                break;
            }

            _keys[i] = _keys[parent];
            _nodes[i] = _nodes[parent];
            i = parent;
        }

        _keys[i] = key;
        _nodes[i] = node;
    }

    public (float Key, int Node) Pop()
    {
        var top = (_keys[0], _nodes[0]);
        var count = --Count;
        if (count > 0)
        {
            var key = _keys[count];
            var node = _nodes[count];
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= count)
                {
                    break;
                }

                if (child + 1 < count && Above(_keys[child + 1], _keys[child]))
                {
                    child++;
                }

                if (!Above(_keys[child], key))
                {
                    break;
                }

                _keys[i] = _keys[child];
                _nodes[i] = _nodes[child];
                i = child;
            }

            _keys[i] = key;
            _nodes[i] = node;
        }

        return top;
    }
}
