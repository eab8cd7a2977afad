namespace Quiver.Store.Search;

/// <summary>Which signal ranks a search.</summary>
public enum SearchMode
{
    /// <summary>Nearest vectors to the query's embedding.</summary>
    Dense,

    /// <summary>BM25 over the points' text.</summary>
    Keyword,

    /// <summary>Both, fused into one ranking (<see cref="FusionMethod"/>).</summary>
    Hybrid,
}
