using System.Text.Json.Nodes;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Search;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;

namespace Quiver.Store.Tests;

/// <summary>The one rule that picks how a dense search runs, a test per branch, and the plan a real collection gets.</summary>
public sealed class SearchPlanTests : IDisposable
{
    private const int D = 8;
    private static readonly IndexOptions Options = new() { Kind = IndexKind.Hnsw, ExactThreshold = 500, Hnsw = new HnswParameters(M: 12, EfConstruction: 80, EfSearch: 80) };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Nothing_to_match_plans_nothing()
    {
        Assert.Equal(SearchPlanKind.Empty, SearchPlan.Choose(0, graphReady: false, codesReady: false, allowed: null, k: 10, ef: null, exact: false, Options).Kind);
        Assert.Equal(SearchPlanKind.Empty, SearchPlan.Choose(10_000, graphReady: true, codesReady: false, allowed: 0, k: 10, ef: null, exact: false, Options).Kind);
    }

    [Fact]
    public void Exact_scans_full_vectors_even_with_a_graph_and_codes()
    {
        var all = SearchPlan.Choose(10_000, graphReady: true, codesReady: true, allowed: null, k: 10, ef: null, exact: true, Options);
        Assert.Equal(new SearchPlan(SearchPlanKind.ExactScan, 0, ByCodes: false), all);
        var filtered = SearchPlan.Choose(10_000, graphReady: true, codesReady: true, allowed: 9_000, k: 10, ef: null, exact: true, Options);
        Assert.Equal(new SearchPlan(SearchPlanKind.ExactOverAllowedIds, 0, ByCodes: false), filtered);
    }

    [Fact]
    public void A_ready_graph_answers_an_unfiltered_search_with_at_least_k_in_its_beam()
    {
        Assert.Equal(new SearchPlan(SearchPlanKind.Graph, 80, false), SearchPlan.Choose(10_000, true, false, null, 10, null, false, Options));
        Assert.Equal(new SearchPlan(SearchPlanKind.Graph, 200, false), SearchPlan.Choose(10_000, true, false, null, 200, 50, false, Options));

        // On codes the beam keeps k × oversampling candidates for the exact rescoring.
        Assert.Equal(new SearchPlan(SearchPlanKind.Graph, 100 * Options.Oversampling, true), SearchPlan.Choose(10_000, true, true, null, 100, 80, false, Options));
    }

    [Fact]
    public void A_filter_that_lets_many_through_walks_the_graph_with_a_widened_beam()
    {
        var limit = SearchPlan.ExactFilterLimit(10_000, 10, Options);
        Assert.Equal(2_000, limit);
        var plan = SearchPlan.Choose(10_000, true, false, allowed: 5_000, k: 10, ef: null, exact: false, Options);
        Assert.Equal(SearchPlanKind.FilteredGraph, plan.Kind);
        Assert.Equal(160, plan.Ef);
        Assert.Equal(399, SearchPlan.Choose(10_000, true, false, allowed: limit + 1, k: 10, ef: null, exact: false, Options).Ef);
    }

    [Fact]
    public void A_selective_filter_scans_the_allowed_points()
    {
        var limit = SearchPlan.ExactFilterLimit(10_000, 10, Options);
        Assert.Equal(new SearchPlan(SearchPlanKind.ExactOverAllowedIds, 0, false), SearchPlan.Choose(10_000, true, false, limit, 10, null, false, Options));
        Assert.Equal(new SearchPlan(SearchPlanKind.ExactOverAllowedIds, 0, true), SearchPlan.Choose(10_000, true, true, 100, 10, null, false, Options));
    }

    [Fact]
    public void Without_a_ready_graph_the_search_scans()
    {
        Assert.Equal(new SearchPlan(SearchPlanKind.ExactScan, 0, false), SearchPlan.Choose(300, false, false, null, 10, null, false, Options));
        Assert.Equal(new SearchPlan(SearchPlanKind.ExactOverAllowedIds, 0, false), SearchPlan.Choose(300, false, false, 200, 10, null, false, Options));

        // A flat index past its threshold with codes scans the codes and rescores.
        Assert.Equal(new SearchPlan(SearchPlanKind.ExactScan, 0, true), SearchPlan.Choose(10_000, false, true, null, 10, null, false, Options));
    }

    [Fact]
    public void A_collection_plans_by_its_size_and_the_filter_share()
    {
        using var small = new CollectionStore(_folder.Path).Create("small", new CollectionOptions(EmbeddingSpace.Raw(D, DistanceMetric.Cosine), Options));
        small.Upsert(Points(100));
        Assert.Equal(SearchPlanKind.ExactScan, small.PlanSearch(10).Kind);
        Assert.Equal(SearchPlanKind.ExactOverAllowedIds, small.PlanSearch(10, Group(3)).Kind);

        using var large = new CollectionStore(_folder.Path).Create("large", new CollectionOptions(EmbeddingSpace.Raw(D, DistanceMetric.Cosine), Options));
        large.Upsert(Points(3_000));
        Assert.Equal(SearchPlanKind.Graph, large.PlanSearch(10).Kind);
        Assert.Equal(SearchPlanKind.ExactScan, large.PlanSearch(10, exact: true).Kind);

        // Half the points pass "group < 5": more than the limit, so the graph; one group in ten is 300 points: a scan.
        Assert.Equal(SearchPlanKind.FilteredGraph, large.PlanSearch(10, new PayloadFilter([new RangeCondition("group", Lt: 5)])).Kind);
        Assert.Equal(SearchPlanKind.ExactOverAllowedIds, large.PlanSearch(10, Group(3)).Kind);
        Assert.Equal(SearchPlanKind.Empty, large.PlanSearch(10, Group(42)).Kind);
    }

    [Fact]
    public void A_quantised_collection_plans_on_codes_unless_exact()
    {
        var options = Options with { Quantization = QuantizationKind.Int8 };
        using var collection = new CollectionStore(_folder.Path).Create("codes", new CollectionOptions(EmbeddingSpace.Raw(D, DistanceMetric.Cosine), options));
        collection.Upsert(Points(1_000));
        Assert.True(collection.PlanSearch(10).ByCodes);
        Assert.False(collection.PlanSearch(10, exact: true).ByCodes);
    }

    private static PayloadFilter Group(int group) => PayloadFilter.Equal("group", JsonValue.Create(group));

    private static List<Point> Points(int n)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, n).Select(i => new Point(
            $"p{i}", [.. Enumerable.Range(0, D).Select(_ => (float)((random.NextDouble() * 2) - 1))], new JsonObject { ["group"] = i % 10 }))];
    }
}
