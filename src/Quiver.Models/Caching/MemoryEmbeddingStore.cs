using System.Diagnostics.CodeAnalysis;

namespace Quiver.Models.Caching;

/// <summary>The in-memory layer: at most <c>capacity</c> embeddings, the least recently used evicted first.</summary>
internal sealed class MemoryEmbeddingStore(int capacity)
{
    private readonly Dictionary<EmbeddingCacheKey, LinkedListNode<(EmbeddingCacheKey Key, CachedEmbedding Value)>> _nodes = [];

    // Most recently used first.
    private readonly LinkedList<(EmbeddingCacheKey Key, CachedEmbedding Value)> _recency = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Count;
            }
        }
    }

    public bool TryGet(EmbeddingCacheKey key, [NotNullWhen(true)] out CachedEmbedding? value)
    {
        value = null;
        if (capacity == 0)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_nodes.TryGetValue(key, out var node))
            {
                return false;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
    }

    public void Set(EmbeddingCacheKey key, CachedEmbedding value)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_nodes.TryGetValue(key, out var node))
            {
                node.Value = (key, value);
                _recency.Remove(node);
                _recency.AddFirst(node);
                return;
            }

            if (_nodes.Count == capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _nodes.Remove(oldest.Value.Key);
            }

            _nodes.Add(key, _recency.AddFirst((key, value)));
        }
    }
}
