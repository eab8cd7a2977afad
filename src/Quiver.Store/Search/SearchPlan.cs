using Quiver.Store.Index;

namespace Quiver.Store.Search;

/// <summary>
/// The one place that decides how the dense side of a search runs. The rule, in order:
/// <list type="number">
/// <item>nothing can match (no points, or a filter that allows none): <see cref="SearchPlanKind.Empty"/>;</item>
/// <item>an exact search scans the full vectors: <see cref="SearchPlanKind.ExactOverAllowedIds"/> with a filter,
/// else <see cref="SearchPlanKind.ExactScan"/>, never on quantised codes;</item>
/// <item>a graph that is ready (HNSW, past the exact threshold, every node linked) answers an unfiltered search:
/// <see cref="SearchPlanKind.Graph"/>;</item>
/// <item>and a filtered one when the filter allows more than <see cref="ExactFilterLimit"/> points:
/// <see cref="SearchPlanKind.FilteredGraph"/>, its beam widened by the inverse of the share allowed;</item>
/// <item>otherwise a scan of the allowed points (<see cref="SearchPlanKind.ExactOverAllowedIds"/>) or of all
/// (<see cref="SearchPlanKind.ExactScan"/>).</item>
/// </list>
/// With quantised codes fitted, graph walks and non-exact scans run on the codes and rescore their candidates with the
/// full vectors (<see cref="ByCodes"/>).
/// </summary>
/// <param name="Kind">The strategy.</param>
/// <param name="Ef">The graph's beam width (graph kinds only).</param>
/// <param name="ByCodes">Whether candidates are found on quantised codes and then rescored exactly.</param>
internal readonly record struct SearchPlan(SearchPlanKind Kind, int Ef, bool ByCodes)
{
    /// <param name="count">Live points in the index.</param>
    /// <param name="graphReady">Whether the graph can answer (see <see cref="CollectionIndex.GraphReady"/>).</param>
    /// <param name="codesReady">Whether quantised codes cover every node.</param>
    /// <param name="allowed">Points the filter allows; null without a filter.</param>
    /// <param name="k">Results wanted.</param>
    /// <param name="ef">The request's beam width; the collection's default when null.</param>
    /// <param name="exact">Whether the request asks for a full-precision scan.</param>
    /// <param name="options">The collection's index settings.</param>
    public static SearchPlan Choose(int count, bool graphReady, bool codesReady, int? allowed, int k, int? ef, bool exact, IndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (count == 0 || allowed == 0)
        {
            return new SearchPlan(SearchPlanKind.Empty, 0, false);
        }

        var scan = allowed is null ? SearchPlanKind.ExactScan : SearchPlanKind.ExactOverAllowedIds;
        if (exact)
        {
            return new SearchPlan(scan, 0, false);
        }

        if (graphReady)
        {
            var searchEf = ef ?? options.Hnsw.EfSearch;
            if (allowed is not { } share)
            {
                return new SearchPlan(SearchPlanKind.Graph, Beam(searchEf, k, codesReady, options), codesReady);
            }

            if (share > ExactFilterLimit(count, k, options))
            {
                // A filter hides part of the graph's answers: widen the beam by the inverse of the share it lets
                // through, so about as many allowed candidates are kept as an unfiltered search keeps.
                var widened = (int)Math.Min(Math.Max(searchEf, k) * ((double)count / share), Math.Max(searchEf, 4 * k) * 8);
                return new SearchPlan(SearchPlanKind.FilteredGraph, Beam(widened, k, codesReady, options), codesReady);
            }
        }

        return new SearchPlan(scan, 0, codesReady);
    }

    /// <summary>
    /// Below this many allowed points an exact scan of them is both cheaper and exact: a graph search that may only
    /// return a small share of the nodes wanders through many it cannot use (measured on glove-100: at 10% selectivity
    /// the scan is several times faster than the widened graph search, at 50% the graph wins).
    /// </summary>
    public static int ExactFilterLimit(int count, int k, IndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(Math.Max(options.ExactThreshold, 50 * k), count / 5);
    }

    // A walk on codes keeps oversampled candidates for the exact rescoring; a walk on full vectors needs k at least.
    private static int Beam(int ef, int k, bool codes, IndexOptions options) => codes ? Math.Max(ef, k * options.Oversampling) : Math.Max(ef, k);
}
