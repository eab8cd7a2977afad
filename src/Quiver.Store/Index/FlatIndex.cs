using Quiver.Core.Distances;
using Quiver.Core.Selection;

namespace Quiver.Store.Index;

/// <summary>
/// An in-memory copy of a collection's vectors for exact search: one contiguous row-major table, slots reused after
/// deletes. It is a cache of SQLite: it remembers the last sequence number it covers and is brought forward by
/// replaying later changes.
/// </summary>
internal sealed class FlatIndex(int dimensions)
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Stack<int> _free = new();
    private string?[] _ids = new string?[64];
    private float[] _table = new float[64 * dimensions];
    private int _used;

    public int Dimensions { get; } = dimensions;

    /// <summary>The last sequence number applied.</summary>
    public long Sequence { get; set; }

    public int Count => _slots.Count;

    public void Upsert(string id, ReadOnlySpan<float> vector)
    {
        if (!_slots.TryGetValue(id, out var slot))
        {
            slot = _free.Count > 0 ? _free.Pop() : _used++;
            if (slot >= _ids.Length)
            {
                var capacity = _ids.Length * 2;
                Array.Resize(ref _ids, capacity);
                Array.Resize(ref _table, capacity * Dimensions);
            }

            _slots[id] = slot;
            _ids[slot] = id;
        }

        vector.CopyTo(_table.AsSpan(slot * Dimensions, Dimensions));
    }

    public void Delete(string id)
    {
        if (_slots.Remove(id, out var slot))
        {
            _ids[slot] = null;
            _free.Push(slot);
        }
    }

    public bool TryGetSlot(string id, out int slot) => _slots.TryGetValue(id, out slot);

    public IReadOnlyList<(string Id, float Score)> Search(ReadOnlySpan<float> query, int k, DistanceMetric metric, ISet<int>? allowedSlots)
    {
        if (Count == 0 || (allowedSlots is not null && allowedSlots.Count == 0))
        {
            return [];
        }

        var ids = _ids;
        Func<int, bool> include = allowedSlots is null
            ? slot => ids[slot] is not null
            : slot => ids[slot] is not null && allowedSlots.Contains(slot);
        var hits = ExactSearch.Search(_table.AsSpan(0, _used * Dimensions), Dimensions, query, k, metric, include);
        return hits.Select(h => (ids[h.Index]!, h.Score)).ToList();
    }
}
