using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Core.Tests;

public sealed class EmbeddingSpaceTests
{
    private static readonly EmbeddingSpace MiniLm =
        new(new ModelReference("all-MiniLM-L6-v2", "mean", "0123456789abcdef"), 384, DistanceMetric.Cosine, Normalized: true);

    [Fact]
    public void Same_model_and_revision_is_accepted()
    {
        var same = MiniLm with { };
        Assert.True(MiniLm.Accepts(same));
        MiniLm.EnsureAccepts(same, "collection 'docs'");
    }

    [Fact]
    public void Different_revision_is_refused_naming_both_spaces()
    {
        var other = MiniLm with { Model = MiniLm.Model with { Revision = "fedcba9876543210" } };

        Assert.False(MiniLm.Accepts(other));
        var e = Assert.Throws<EmbeddingSpaceMismatchException>(() => MiniLm.EnsureAccepts(other, "collection 'docs'"));

        Assert.StartsWith("collection 'docs': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(MiniLm.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(other.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("revision differs", e.Message, StringComparison.Ordinal);
        Assert.Same(MiniLm, e.Expected);
        Assert.Same(other, e.Actual);
    }

    [Fact]
    public void Different_model_is_refused_naming_both_spaces()
    {
        var other = MiniLm with { Model = MiniLm.Model with { Name = "bge-small-en-v1.5" } };

        Assert.False(MiniLm.Accepts(other));
        var e = Assert.Throws<EmbeddingSpaceMismatchException>(() => MiniLm.EnsureAccepts(other, "query"));

        Assert.Contains("all-MiniLM-L6-v2/mean@", e.Message, StringComparison.Ordinal);
        Assert.Contains("bge-small-en-v1.5/mean@", e.Message, StringComparison.Ordinal);
        Assert.Contains("model or its revision differs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_dimensions_are_refused_naming_both_spaces()
    {
        var other = MiniLm with { Dimensions = 256 };

        Assert.False(MiniLm.Accepts(other));
        var e = Assert.Throws<EmbeddingSpaceMismatchException>(() => MiniLm.EnsureAccepts(other, "upsert"));

        Assert.Contains("384-d", e.Message, StringComparison.Ordinal);
        Assert.Contains("256-d", e.Message, StringComparison.Ordinal);
        Assert.Contains("dimensions differ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_s_own_remedy_replaces_the_general_advice()
    {
        var other = MiniLm with { Model = MiniLm.Model with { Revision = "fedcba9876543210" } };

        MiniLm.EnsureAccepts(MiniLm with { }, "collection 'docs'", "Re-embed it.");
        var e = Assert.Throws<EmbeddingSpaceMismatchException>(() => MiniLm.EnsureAccepts(other, "collection 'docs'", "Re-embed it."));

        Assert.Contains(MiniLm.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(other.ToString(), e.Message, StringComparison.Ordinal);
        Assert.EndsWith("revision differs. Re-embed it.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatch_exception_is_a_quiver_exception()
    {
        var e = Assert.Throws<EmbeddingSpaceMismatchException>(() => MiniLm.EnsureAccepts(MiniLm with { Dimensions = 1 }, "x"));
        Assert.IsAssignableFrom<QuiverException>(e);
    }

    [Fact]
    public void Raw_space_accepts_any_space_of_the_same_dimensions()
    {
        var raw = EmbeddingSpace.Raw(384, DistanceMetric.Dot);

        Assert.True(raw.IsRaw);
        Assert.True(raw.Accepts(MiniLm));
        Assert.True(raw.Accepts(MiniLm with { Model = new ModelReference("another", "model", "ffff") }));
        Assert.True(raw.Accepts(EmbeddingSpace.Raw(384, DistanceMetric.Euclidean)));
        raw.EnsureAccepts(MiniLm, "raw collection");
    }

    [Fact]
    public void Raw_space_refuses_other_dimensions()
    {
        var raw = EmbeddingSpace.Raw(384, DistanceMetric.Cosine);

        Assert.False(raw.Accepts(MiniLm with { Dimensions = 768 }));
        var e = Assert.Throws<EmbeddingSpaceMismatchException>(() => raw.EnsureAccepts(EmbeddingSpace.Raw(3, DistanceMetric.Cosine), "raw collection"));
        Assert.Contains("dimensions differ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_space_refuses_raw_vectors()
    {
        Assert.False(MiniLm.IsRaw);
        Assert.False(MiniLm.Accepts(EmbeddingSpace.Raw(384, DistanceMetric.Cosine)));
    }

    [Fact]
    public void ToString_shows_model_short_revision_dimensions_metric_and_normalisation()
    {
        var space = new EmbeddingSpace(new ModelReference("m", null, "0123456789abcdef0123"), 8, DistanceMetric.Euclidean, Normalized: false);
        Assert.Equal("m@0123456789ab (8-d, euclidean)", space.ToString());
        Assert.Equal("m/mean@abc (8-d, cosine, normalised)", (space with { Model = new ModelReference("m", "mean", "abc"), Metric = DistanceMetric.Cosine, Normalized = true }).ToString());
        Assert.Equal("raw@- (3-d, dot)", EmbeddingSpace.Raw(3, DistanceMetric.Dot).ToString());
    }
}
