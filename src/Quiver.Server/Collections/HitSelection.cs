using Quiver.Store.Filtering;
using Quiver.Store.Search;

namespace Quiver.Server.Collections;

/// <summary>
/// What a search, query or recommend asks for beside its vector, read from either API (REST's JSON, gRPC's messages)
/// before <see cref="NearestPoints"/> answers it, so both answer alike.
/// </summary>
/// <param name="Threshold">The worst score kept: a least similarity, or on Euclid a greatest distance.</param>
internal sealed record HitSelection(int Limit, int Offset, double? Threshold, PayloadFilter? Filter, int? Ef, bool Exact, bool WithVector)
{
    /// <summary>The dense search of <paramref name="vector"/> this selection asks for, leaving out <paramref name="excluded"/> ids.</summary>
    public SearchRequest DenseSearch(float[] vector, IReadOnlySet<string>? excluded) => new()
    {
        Vector = vector,
        Mode = SearchMode.Dense,
        K = Limit,
        Offset = Offset,
        ScoreThreshold = Threshold,
        Filter = Filter,
        Ef = Ef,
        Exact = Exact,
        Exclude = excluded,
        WithVectors = WithVector,
    };
}
