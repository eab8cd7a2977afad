namespace Quiver.Models.Caching;

/// <summary>How a <see cref="CachingEmbeddingGenerator"/> keeps the embeddings it has seen.</summary>
public sealed record EmbeddingCacheOptions
{
    /// <summary>
    /// The most embeddings held in memory; past it the least recently used go first. Zero keeps none in memory
    /// (the disk store, when there is one, still answers).
    /// </summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>
    /// A SQLite file that keeps embeddings across processes, created when missing; null keeps them in memory only.
    /// Several caches, even over different models, may share one file: entries of different spaces never meet.
    /// </summary>
    public string? DiskPath { get; init; }

    /// <summary>
    /// Whether disposing the cache disposes the generator it wraps, as Microsoft.Extensions.AI pipelines do. Turn it
    /// off when the inner generator is shared and outlives the cache.
    /// </summary>
    public bool DisposeInnerGenerator { get; init; } = true;
}
