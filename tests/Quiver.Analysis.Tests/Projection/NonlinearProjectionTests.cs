using Quiver.Analysis.Metrics;
using Quiver.Analysis.Projection;

namespace Quiver.Analysis.Tests.Projection;

public class NonlinearProjectionTests
{
    [Theory]
    [InlineData(ProjectionMethod.Tsne, 2)]
    [InlineData(ProjectionMethod.Tsne, 3)]
    [InlineData(ProjectionMethod.Umap, 2)]
    [InlineData(ProjectionMethod.Umap, 3)]
    public void Well_separated_blobs_stay_separated(ProjectionMethod method, int dimensions)
    {
        var (vectors, labels) = Blobs.Make(4, 50, 20, seed: 11);

        var map = Projector.Project(vectors, new ProjectionOptions { Method = method, Dimensions = dimensions, Seed = 5 });

        Assert.All(map.Points, p => Assert.Equal(dimensions, p.Length));
        Assert.Equal(1.0, Blobs.NearestNeighbourAgreement(map.Points, labels));
        var ratio = Blobs.SeparationRatio(map.Points, labels);
        Assert.True(ratio > 3, $"blob centroids only {ratio:F2}× their spread apart");
        var trust = Trustworthiness.Compute(vectors, map.Points, 10);
        Assert.True(trust > 0.9, $"trustworthiness {trust:F3}");
    }

    [Theory]
    [InlineData(ProjectionMethod.Tsne)]
    [InlineData(ProjectionMethod.Umap)]
    public void The_same_seed_gives_the_same_map(ProjectionMethod method)
    {
        var (vectors, _) = Blobs.Make(3, 40, 10, seed: 2);
        var options = new ProjectionOptions { Method = method, Seed = 7 };

        var first = Projector.Project(vectors, options).Points;
        var second = Projector.Project(vectors, options).Points;

        Assert.Equal(first.SelectMany(p => p), second.SelectMany(p => p));
    }

    [Fact]
    public void A_different_seed_gives_a_different_umap_map()
    {
        var (vectors, _) = Blobs.Make(3, 40, 10, seed: 2);

        var first = Projector.Project(vectors, new ProjectionOptions { Seed = 1 }).Points;
        var second = Projector.Project(vectors, new ProjectionOptions { Seed = 2 }).Points;

        Assert.NotEqual(first.SelectMany(p => p), second.SelectMany(p => p));
    }

    [Fact]
    public void Tsne_beats_pca_on_a_set_pca_cannot_unfold()
    {
        // Ten blobs in 30-D: two principal axes cannot show them all apart, a neighbourhood-keeping map can.
        var (vectors, labels) = Blobs.Make(10, 30, 30, seed: 4, separation: 6);

        var pca = Projector.Project(vectors, new ProjectionOptions { Method = ProjectionMethod.Pca });
        var tsne = Projector.Project(vectors, new ProjectionOptions { Method = ProjectionMethod.Tsne });

        var pcaTrust = Trustworthiness.Compute(vectors, pca.Points, 10);
        var tsneTrust = Trustworthiness.Compute(vectors, tsne.Points, 10);
        Assert.True(tsneTrust > pcaTrust + 0.05, $"t-SNE {tsneTrust:F3}, PCA {pcaTrust:F3}");
        Assert.True(Blobs.NearestNeighbourAgreement(tsne.Points, labels) > 0.97);
        Assert.Equal(2, pca.ExplainedVarianceRatio.Count);
    }

    [Theory]
    [InlineData(ProjectionMethod.Tsne, "perplexity 30 needs more than 31 points; got 20")]
    [InlineData(ProjectionMethod.Umap, "15 neighbours needs more than 15 points; got 10")]
    public void Too_few_points_are_refused_with_the_fix(ProjectionMethod method, string expected)
    {
        var (vectors, _) = Blobs.Make(2, method == ProjectionMethod.Tsne ? 10 : 5, 4, seed: 1);

        var error = Assert.Throws<Core.QuiverException>(() => Projector.Project(vectors, new ProjectionOptions { Method = method }));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Four_dimensions_are_refused()
    {
        var (vectors, _) = Blobs.Make(2, 20, 4, seed: 1);

        var error = Assert.Throws<Core.QuiverException>(() => Projector.Project(vectors, new ProjectionOptions { Dimensions = 4 }));

        Assert.Contains("2 or 3 dimensions; got 4", error.Message);
    }

    [Fact]
    public void Umap_curve_parameters_match_umap_learn_for_the_defaults()
    {
        // umap-learn's find_ab_params(1.0, 0.1) gives a = 1.577, b = 0.8951.
        var (a, b) = UmapCurve.Fit(0.1, 1.0);

        Assert.Equal(1.577, a, 2);
        Assert.Equal(0.8951, b, 3);
    }
}
