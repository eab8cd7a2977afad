namespace Quiver.Store.Search;

/// <summary>How the dense side of a search finds its candidates (see <see cref="SearchPlan"/>).</summary>
internal enum SearchPlanKind
{
    /// <summary>Nothing can match: the collection is empty or the filter lets no point through.</summary>
    Empty,

    /// <summary>The HNSW graph, unfiltered.</summary>
    Graph,

    /// <summary>The HNSW graph restricted to the allowed points, its beam widened by the share the filter hides.</summary>
    FilteredGraph,

    /// <summary>Every point the filter allows, scored one by one.</summary>
    ExactOverAllowedIds,

    /// <summary>Every live point, scored one by one.</summary>
    ExactScan,
}
