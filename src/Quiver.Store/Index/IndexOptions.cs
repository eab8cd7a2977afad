using Quiver.Store.Index.Hnsw;

namespace Quiver.Store.Index;

/// <summary>A collection's index settings.</summary>
public sealed record IndexOptions
{
    public IndexKind Kind { get; init; } = IndexKind.Hnsw;

    public HnswParameters Hnsw { get; init; } = new();

    /// <summary>Below this many points every search is exact (a graph buys nothing there).</summary>
    public int ExactThreshold { get; init; } = 10_000;

    /// <summary>Threads used to link nodes into the graph when many arrive at once (initial builds, big batches).</summary>
    public int BuildThreads { get; init; } = Environment.ProcessorCount;

    public static IndexOptions Default { get; } = new();
}
