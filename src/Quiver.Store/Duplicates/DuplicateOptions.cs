using Quiver.Store.Filtering;

namespace Quiver.Store.Duplicates;

/// <summary>What counts as a near-duplicate and how hard to look.</summary>
public sealed record DuplicateOptions
{
    /// <summary>Least cosine similarity of a near-duplicate pair.</summary>
    public double Threshold { get; init; } = 0.95;

    /// <summary>Neighbours fetched per point from the index; a point with more near-duplicates than this still joins their group through the others.</summary>
    public int Neighbours { get; init; } = 16;

    /// <summary>Scan every vector per point instead of searching the graph: every pair, quadratic time.</summary>
    public bool Exact { get; init; }

    /// <summary>Only points matching this filter, compared with each other.</summary>
    public PayloadFilter? Filter { get; init; }
}
