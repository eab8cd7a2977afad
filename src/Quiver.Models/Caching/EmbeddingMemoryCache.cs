using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Quiver.Core.Spaces;

namespace Quiver.Models.Caching;

/// <summary>
/// An in-memory LRU of embeddings for hosts that run an encoder themselves rather than through
/// <see cref="CachingEmbeddingGenerator"/> (the server's batcher): keyed by the SHA-256 of the model's space, a
/// variant (whatever else changes the output, such as the truncation policy) and the exact text, with the token
/// counts kept beside each vector. Hits and misses count on the "Quiver.Models" meter, like the generator's.
/// </summary>
public sealed class EmbeddingMemoryCache
{
    private const string TokensProperty = "tokens";
    private const string TruncatedProperty = "truncated_tokens";

    private readonly EmbeddingSpace _space;
    private readonly MemoryEmbeddingStore _store;
    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly ConcurrentDictionary<string, byte[]> _scopes = new(StringComparer.Ordinal);

    public EmbeddingMemoryCache(EmbeddingSpace space, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _space = space;
        Capacity = capacity;
        _store = new MemoryEmbeddingStore(capacity);
        _modelTag = new(EmbeddingCacheMetrics.ModelTag, space.ModelId);
    }

    public int Capacity { get; }

    public int Count => _store.Count;

    /// <summary>The scope of one variant, to pass to <see cref="TryGet"/> and <see cref="Set"/> (hashed once per variant).</summary>
    public byte[] Scope(string variant) => _scopes.GetOrAdd(variant, v =>
        EmbeddingCacheKey.Scope(_space, new EmbeddingGenerationOptions { AdditionalProperties = new() { ["quiver.variant"] = v } }));

    /// <summary>The cached vector (a copy of its own) and token counts of a text, counting a hit or a miss.</summary>
    public bool TryGet(byte[] scope, string text, out float[] vector, out int tokens, out int truncatedTokens)
    {
        if (_store.TryGet(EmbeddingCacheKey.Of(scope, text), out var cached))
        {
            vector = (float[])cached.Vector.Clone();
            tokens = cached.Properties?[TokensProperty] is int t ? t : 0;
            truncatedTokens = cached.Properties?[TruncatedProperty] is int c ? c : 0;
            EmbeddingCacheMetrics.Hits.Add(1, _modelTag);
            return true;
        }

        (vector, tokens, truncatedTokens) = ([], 0, 0);
        EmbeddingCacheMetrics.Misses.Add(1, _modelTag);
        return false;
    }

    /// <summary>Keeps a copy of a text's vector and token counts, evicting the least recently used beyond the capacity.</summary>
    public void Set(byte[] scope, string text, ReadOnlySpan<float> vector, int tokens, int truncatedTokens) =>
        _store.Set(EmbeddingCacheKey.Of(scope, text), new CachedEmbedding(vector.ToArray(), _space.ModelId, null, new() { [TokensProperty] = tokens, [TruncatedProperty] = truncatedTokens }));
}
