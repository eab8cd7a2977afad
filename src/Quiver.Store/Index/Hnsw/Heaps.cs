using System.Runtime.CompilerServices;

namespace Quiver.Store.Index.Hnsw;

/// <summary>Which end of a <see cref="DistanceHeap{TOrder}"/> is on top, as a static method the JIT inlines.</summary>
internal interface IHeapOrder
{
    static abstract bool Above(float a, float b);
}

/// <summary>The largest distance on top (the result list, whose worst entry is evicted).</summary>
internal readonly struct FarthestFirst : IHeapOrder
{
    public static bool Above(float a, float b) => a > b;
}

/// <summary>The smallest distance on top (the frontier, expanded closest first).</summary>
internal readonly struct NearestFirst : IHeapOrder
{
    public static bool Above(float a, float b) => a < b;
}

/// <summary>A binary heap of (distance, node) pairs ordered by <typeparamref name="TOrder"/>.</summary>
internal sealed class DistanceHeap<TOrder>(int capacity = 64)
    where TOrder : struct, IHeapOrder
{
    private float[] _keys = new float[capacity];
    private int[] _nodes = new int[capacity];

    public int Count { get; private set; }

    public float TopKey => _keys[0];

    public int TopNode => _nodes[0];

    public void Clear() => Count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Above(float a, float b) => TOrder.Above(a, b);

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
