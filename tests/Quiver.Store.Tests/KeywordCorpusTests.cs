using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Keyword;

namespace Quiver.Store.Tests;

/// <summary>BM25 computed outside FTS5 from statistics given to it, as a sharded collection scores keyword queries.</summary>
public sealed class KeywordCorpusTests : IDisposable
{
    private static readonly EmbeddingSpace Space = EmbeddingSpace.Raw(2, DistanceMetric.Cosine);
    private static readonly string[] Vocabulary =
        ["whale", "ship", "sea", "harpoon", "captain", "indexing", "indexed", "index", "storm", "sail", "Élan", "elan", "rope", "deck"];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Collection Create(string name, KeywordStemming stemming) =>
        new CollectionStore(_folder.Path).Create(name, new CollectionOptions(Space, Keyword: new KeywordOptions(stemming)));

    private static List<Point> Documents(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new Point(
            $"p{i}",
            [1, 0.5f],
            new JsonObject { ["group"] = i % 3 },
            i % 11 == 0 ? null : string.Join(' ', Enumerable.Range(0, random.Next(1, 14)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]))))
            .ToList();
    }

    [Theory]
    [InlineData(KeywordStemming.None)]
    [InlineData(KeywordStemming.English)]
    public void Its_own_corpus_gives_exactly_what_fts5_bm25_gives(KeywordStemming stemming)
    {
        using var collection = Create("docs", stemming);
        collection.Upsert(Documents(300, seed: 7));
        collection.Delete(["p3", "p4"]);
        foreach (var query in new[] { "whale", "sea storm", "indexing index", "ÉLAN rope deck", "harpoon whale ship sail captain" })
        {
            foreach (var filter in new[] { null, PayloadFilter.Equal("group", JsonValue.Create(1)) })
            {
                var expected = collection.SearchKeyword(query, 25, filter);
                var actual = collection.SearchKeyword(query, 25, filter, collection.KeywordCorpusOf(query));
                Assert.NotEmpty(expected);
                Assert.Equal(expected.Select(h => (h.Id, h.Score, h.Text)), actual.Select(h => (h.Id, h.Score, h.Text)));
            }
        }
    }

    [Fact]
    public void Corpora_of_parts_add_up_to_the_corpus_of_the_whole()
    {
        var points = Documents(200, seed: 3);
        using var whole = Create("whole", KeywordStemming.English);
        using var left = Create("left", KeywordStemming.English);
        using var right = Create("right", KeywordStemming.English);
        whole.Upsert(points);
        left.Upsert(points.Where((_, i) => i % 2 == 0).ToList());
        right.Upsert(points.Where((_, i) => i % 2 == 1).ToList());
        const string query = "indexed whale sea";

        var sum = KeywordCorpus.Sum([left.KeywordCorpusOf(query), right.KeywordCorpusOf(query)]);
        var corpus = whole.KeywordCorpusOf(query);
        Assert.Equal(corpus.Documents, sum.Documents);
        Assert.Equal(corpus.Tokens, sum.Tokens);
        Assert.Equal(corpus.DocumentFrequencies, sum.DocumentFrequencies);

        // Each part scored with the whole's statistics ranks its points as the whole does.
        var merged = left.SearchKeyword(query, 20, null, sum).Concat(right.SearchKeyword(query, 20, null, sum))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Id, StringComparer.Ordinal).Take(20);
        Assert.Equal(whole.SearchKeyword(query, 20).Select(h => (h.Id, h.Score)), merged.Select(h => (h.Id, h.Score)));
    }

    [Fact]
    public void A_corpus_read_for_another_query_is_refused()
    {
        using var collection = Create("docs", KeywordStemming.None);
        collection.Upsert(Documents(20, seed: 1));
        var error = Assert.Throws<ArgumentException>(() => collection.SearchKeyword("whale sea", 5, null, collection.KeywordCorpusOf("whale")));
        Assert.Contains("read the corpus for this query", error.Message, StringComparison.Ordinal);
        Assert.Throws<QuiverException>(() => collection.KeywordCorpusOf("?!"));
    }
}
