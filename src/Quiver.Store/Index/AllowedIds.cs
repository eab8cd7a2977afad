using Quiver.Core;

namespace Quiver.Store.Index;

/// <summary>
/// The ids a filtered <see cref="VectorIndex"/> search may return, as a bitmap over 0..capacity-1. The search walks
/// the whole graph (so it stays connected) but keeps only allowed ids; when few are allowed it scans them exactly.
/// </summary>
public sealed class AllowedIds
{
    /// <summary>An empty set able to hold ids 0..<paramref name="capacity"/>-1 (usually the index's <see cref="VectorIndex.Count"/>).</summary>
    /// <exception cref="QuiverException">The capacity is negative.</exception>
    public AllowedIds(int capacity)
    {
        if (capacity < 0)
        {
            throw new QuiverException($"An allowed-id set needs a capacity of 0 or more, not {capacity}: pass the index's Count.");
        }

        Nodes = new NodeSet(capacity);
    }

    /// <summary>The largest id this set can hold, plus one.</summary>
    public int Capacity => Nodes.Capacity;

    /// <summary>How many distinct ids are allowed.</summary>
    public int Count => Nodes.Count;

    internal NodeSet Nodes { get; }

    /// <summary>Allows <paramref name="id"/> (adding it twice changes nothing).</summary>
    /// <exception cref="QuiverException">The id is outside 0..<see cref="Capacity"/>-1.</exception>
    public void Add(int id)
    {
        if ((uint)id >= (uint)Nodes.Capacity)
        {
            throw new QuiverException($"Id {id} is outside this allowed-id set (0..{Nodes.Capacity - 1}): create the set with a capacity of at least the index's Count.");
        }

        Nodes.Add(id);
    }

    /// <summary>Whether <paramref name="id"/> is allowed.</summary>
    public bool Contains(int id) => Nodes.Contains(id);
}
