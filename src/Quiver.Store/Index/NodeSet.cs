using System.Numerics;

namespace Quiver.Store.Index;

/// <summary>A set of node numbers as a bitmap: the points a filter lets through.</summary>
internal sealed class NodeSet(int capacity)
{
    private readonly ulong[] _bits = new ulong[(capacity + 63) / 64];

    public int Capacity { get; } = capacity;

    public int Count { get; private set; }

    public void Add(int node)
    {
        ref var word = ref _bits[node >> 6];
        var mask = 1UL << (node & 63);
        if ((word & mask) == 0)
        {
            word |= mask;
            Count++;
        }
    }

    public bool Contains(int node) => (uint)node < (uint)Capacity && (_bits[node >> 6] & (1UL << (node & 63))) != 0;

    public IEnumerable<int> Nodes()
    {
        for (var w = 0; w < _bits.Length; w++)
        {
            var word = _bits[w];
            while (word != 0)
            {
                var bit = BitOperations.TrailingZeroCount(word);
                yield return (w << 6) + bit;
                word &= word - 1;
            }
        }
    }
}
