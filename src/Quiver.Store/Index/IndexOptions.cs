using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;

namespace Quiver.Store.Index;

/// <summary>A collection's index settings.</summary>
public sealed record IndexOptions
{
    public IndexKind Kind { get; init; } = IndexKind.Hnsw;

    public HnswParameters Hnsw { get; init; } = new();

    /// <summary>Below this many points every search is exact (a graph buys nothing there).</summary>
    public int ExactThreshold { get; init; } = 10_000;

    /// <summary>Compressed codes for the candidate pass (graph walk or scan), rescored exactly from the full vectors.</summary>
    public QuantizationKind Quantization { get; init; } = QuantizationKind.None;

    /// <summary>With quantisation, how many candidates per wanted result are rescored exactly (at least the search's ef).</summary>
    public int Oversampling { get; init; } = 4;

    /// <summary>Threads used to link nodes into the graph when many arrive at once (initial builds, big batches).</summary>
    public int BuildThreads { get; init; } = Environment.ProcessorCount;

    public static IndexOptions Default { get; } = new();
}
