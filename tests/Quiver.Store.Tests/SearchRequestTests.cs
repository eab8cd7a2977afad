using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Search;
using Quiver.Store.Index;

namespace Quiver.Store.Tests;

/// <summary>What a search request carries beyond its query (page, exclusions, threshold, vectors) and hits read back in one statement.</summary>
public sealed class SearchRequestTests : IDisposable
{
    private const int D = 8;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_search_of_100_hits_carries_each_point_as_stored()
    {
        using var collection = Filled(DistanceMetric.Cosine, 400);
        var query = Vector(new Random(99));
        var hits = collection.Search(query, 100, PayloadFilter.Equal("even", JsonValue.Create(true)));
        Assert.Equal(100, hits.Count);
        Assert.Equal(100, hits.Select(h => h.Id).Distinct().Count());
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        foreach (var hit in hits)
        {
            var point = collection.Get(hit.Id)!;
            Assert.Equal(point.Payload!.ToJsonString(), hit.Payload!.ToJsonString());
            Assert.Equal(point.Text, hit.Text);
            Assert.True((bool)point.Payload["even"]!);
            Assert.Null(hit.Vector);
        }

        var exact = collection.Search(new SearchRequest { Vector = query, K = 100, Filter = PayloadFilter.Equal("even", JsonValue.Create(true)), Exact = true, WithVectors = true });
        Assert.Equal(hits.Select(h => h.Id), exact.Select(h => h.Id));
        Assert.All(exact, h => Assert.Equal(collection.Get(h.Id)!.Vector, h.Vector));
    }

    [Fact]
    public void Points_that_have_no_payload_or_text_come_back_without_them()
    {
        using var collection = new CollectionStore(_folder.Path).Create("bare", new CollectionOptions(EmbeddingSpace.Raw(2, DistanceMetric.Dot)));
        collection.Upsert([new Point("a", [1, 0]), new Point("b", [0.5f, 0], new JsonObject { ["x"] = 1 }, "words")]);
        var hits = collection.Search([1, 0], 5);
        Assert.Equal(["a", "b"], hits.Select(h => h.Id));
        Assert.Null(hits[0].Payload);
        Assert.Null(hits[0].Text);
        Assert.Equal("words", hits[1].Text);
        var lean = collection.Search(new SearchRequest { Vector = [1, 0], K = 5, WithPayload = false });
        Assert.All(lean, h => Assert.Null(h.Payload));
        Assert.All(lean, h => Assert.Null(h.Text));
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    public void Offset_exclusions_and_threshold_cut_the_same_ranking(DistanceMetric metric)
    {
        using var collection = Filled(metric, 200);
        var query = Vector(new Random(5));
        var all = collection.Search(new SearchRequest { Vector = query, K = 60, Exact = true });
        var excluded = new HashSet<string>(StringComparer.Ordinal) { all[0].Id, all[3].Id, all[20].Id };
        var kept = all.Where(h => !excluded.Contains(h.Id)).ToList();

        var page = collection.Search(new SearchRequest { Vector = query, K = 10, Offset = 5, Exclude = excluded, Exact = true });
        Assert.Equal(kept.Skip(5).Take(10).Select(h => h.Id), page.Select(h => h.Id));

        // Euclidean scores are distances: the threshold keeps those at most that far.
        var threshold = (double)kept[12].Score;
        var cut = collection.Search(new SearchRequest { Vector = query, K = 50, Exclude = excluded, ScoreThreshold = threshold, Exact = true });
        Assert.Equal(kept.Take(13).Select(h => h.Id), cut.Select(h => h.Id));
    }

    [Fact]
    public void Hybrid_pages_are_slices_of_one_fused_ranking()
    {
        using var collection = Filled(DistanceMetric.Cosine, 120);
        var query = Vector(new Random(11));
        var request = new SearchRequest { Vector = query, Text = "alpha beta", K = 30, Candidates = 60, Exact = true };
        var all = collection.Search(request);
        var second = collection.Search(request with { K = 10, Offset = 10 });
        Assert.Equal(all.Skip(10).Take(10).Select(h => h.Id), second.Select(h => h.Id));
        Assert.All(second, h => Assert.NotNull(h.Text));
    }

    [Fact]
    public void Keyword_search_with_a_filter_reads_its_hits_in_one_go()
    {
        using var collection = Filled(DistanceMetric.Cosine, 120);
        var even = PayloadFilter.Equal("even", JsonValue.Create(true));
        var own = collection.SearchKeyword("alpha", 20, even);
        var weighed = collection.SearchKeyword("alpha", 20, even, collection.KeywordCorpusOf("alpha"));
        Assert.Equal(own.Select(h => (h.Id, h.Score, h.Text)), weighed.Select(h => (h.Id, h.Score, h.Text)));
        Assert.All(weighed, h => Assert.True((bool)h.Payload!["even"]!));
    }

    [Fact]
    public void A_negative_offset_is_refused()
    {
        using var collection = Filled(DistanceMetric.Cosine, 10);
        Assert.Throws<QuiverException>(() => collection.Search(new SearchRequest { Vector = Vector(new Random(1)), Offset = -1 }));
    }

    private Collection Filled(DistanceMetric metric, int n)
    {
        var collection = new CollectionStore(_folder.Path).Create($"c{metric}{n}", new CollectionOptions(EmbeddingSpace.Raw(D, metric), IndexOptions.Default));
        var random = new Random(3);
        string[] words = ["alpha", "beta", "gamma", "delta"];
        collection.Upsert([.. Enumerable.Range(0, n).Select(i => new Point(
            $"p{i}",
            Vector(random),
            new JsonObject { ["even"] = i % 2 == 0, ["i"] = i },
            $"{words[i % 4]} {words[(i / 4) % 4]} point {i}"))]);
        return collection;
    }

    private static float[] Vector(Random random) => [.. Enumerable.Range(0, D).Select(_ => (float)((random.NextDouble() * 2) - 1))];
}
