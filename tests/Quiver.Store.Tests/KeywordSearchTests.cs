using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Keyword;

namespace Quiver.Store.Tests;

public sealed class KeywordSearchTests : IDisposable
{
    private static readonly EmbeddingSpace Space = EmbeddingSpace.Raw(2, DistanceMetric.Cosine);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Collection Create(KeywordStemming stemming = KeywordStemming.None, string name = "docs") =>
        new CollectionStore(_folder.Path).Create(name, new CollectionOptions(Space, Keyword: new KeywordOptions(stemming)));

    private static Point Doc(string id, string? text, JsonObject? payload = null) => new(id, [1, 0.5f], payload, text);

    [Fact]
    public void Bm25_scores_equal_the_hand_computed_formula()
    {
        using var collection = Create();
        collection.Upsert([
            Doc("a", "apple banana apple"),
            Doc("b", "banana cherry"),
            Doc("c", "cherry cherry cherry date"),
            Doc("image", null),
        ]);

        // N = 3 documents with text (the text-less point is not in the index), 9 tokens, so avgdl = 3.
        // BM25 with k1 = 1.2, b = 0.75: idf = ln((N - n + 0.5) / (n + 0.5)), tf part = tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)).
        // "apple" in a: n = 1, tf = 2, dl = 3: ln(2.5 / 1.5) * 4.4 / 3.2 = 0.510826 * 1.375 = 0.702385.
        var apple = Assert.Single(collection.SearchKeyword("apple", 10));
        Assert.Equal("a", apple.Id);
        Assert.Equal(0.702385, apple.Score, 1e-5);

        // "date" in c: n = 1, tf = 1, dl = 4: 0.510826 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 4 / 3)) = 0.510826 * 2.2 / 2.5 = 0.449527.
        // "cherry" in c: n = 2, so ln(1.5 / 2.5) < 0, which FTS5 clamps to 1e-6: a negligible share.
        var hits = collection.SearchKeyword("date cherry", 10);
        Assert.Equal(["c", "b"], hits.Select(h => h.Id));
        Assert.Equal(0.449527, hits[0].Score, 1e-5);
        Assert.True(hits[1].Score is > 0 and < 1e-5f);
    }

    [Fact]
    public void Upsert_replaces_and_delete_removes_keyword_rows_in_the_same_write()
    {
        using var collection = Create();
        collection.Upsert([Doc("a", "the old whale"), Doc("b", "a ship at sea"), Doc("c", null)]);
        Assert.Equal("a", Assert.Single(collection.SearchKeyword("whale", 5)).Id);

        collection.Upsert([Doc("a", "a new harpoon"), Doc("c", "the whale returns")]);
        Assert.Equal("c", Assert.Single(collection.SearchKeyword("whale", 5)).Id);
        Assert.Equal("a", Assert.Single(collection.SearchKeyword("harpoon", 5)).Id);

        collection.Upsert([Doc("c", null)]);
        Assert.Empty(collection.SearchKeyword("whale", 5));

        Assert.Equal(1, collection.Delete(["b", "missing"]));
        Assert.Empty(collection.SearchKeyword("ship", 5));
        Assert.Equal((1L, 1L, 0L), collection.KeywordCensus());
        collection.CheckKeywordIntegrity();

        // A refused batch (the same id twice) writes neither points nor keyword rows.
        Assert.Throws<QuiverException>(() => collection.Upsert([Doc("d", "lighthouse"), Doc("d", "lighthouse")]));
        Assert.Empty(collection.SearchKeyword("lighthouse", 5));
        Assert.Equal((1L, 1L, 0L), collection.KeywordCensus());
    }

    [Fact]
    public void A_rolled_back_transaction_leaves_points_and_keyword_rows_as_they_were()
    {
        using (var collection = Create())
        {
            collection.Upsert([Doc("a", "storm over the harbour")]);
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "docs", "collection.db")}"))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM points WHERE id = 'a'; INSERT INTO points(id, seq, vector, text) VALUES ('z', 99, x'0000803f0000803f', 'calm harbour');";
            command.ExecuteNonQuery();
            transaction.Rollback();
        }

        using var reopened = new CollectionStore(_folder.Path).Open("docs");
        Assert.Equal("a", Assert.Single(reopened.SearchKeyword("harbour", 5)).Id);
        Assert.Equal((1L, 1L, 0L), reopened.KeywordCensus());
    }

    [Fact]
    public void Filters_apply_to_keyword_search()
    {
        using var collection = Create();
        collection.Upsert([
            Doc("en1", "whale song", new JsonObject { ["lang"] = "en", ["year"] = 1851 }),
            Doc("en2", "whale oil lamp", new JsonObject { ["lang"] = "en", ["year"] = 1900 }),
            Doc("fr", "whale chant", new JsonObject { ["lang"] = "fr", ["year"] = 1851 }),
        ]);
        Assert.Equal(3, collection.SearchKeyword("whale", 10).Count);
        var filter = PayloadFilter.Equal("lang", JsonValue.Create("en"));
        Assert.Equal(["en1", "en2"], collection.SearchKeyword("whale", 10, filter).Select(h => h.Id).Order());
        collection.CreatePayloadIndex("year", PayloadIndexKind.Integer);
        Assert.Equal(["en1", "fr"], collection.SearchKeyword("whale", 10, PayloadFilter.Equal("year", JsonValue.Create(1851))).Select(h => h.Id).Order());
    }

    [Theory]
    [InlineData("title:whale")]
    [InlineData("whale NOT near")]
    [InlineData("\"whale\" AND (near")]
    [InlineData("NEAR(whale near, 2) *")]
    [InlineData("whale^ - + {near}")]
    public void User_text_cannot_inject_fts5_syntax(string query)
    {
        using var collection = Create();
        collection.Upsert([Doc("w", "a whale"), Doc("n", "near the shore"), Doc("t", "title page")]);

        // Every query is "any of its words": never a syntax error, never an operator.
        var hits = collection.SearchKeyword(query, 10).Select(h => h.Id).ToHashSet();
        Assert.Contains("w", hits);
        Assert.Equal(query.Contains("near", StringComparison.OrdinalIgnoreCase), hits.Contains("n"));
        Assert.Equal(query.Contains("title", StringComparison.Ordinal), hits.Contains("t"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?! -- \"\" ()")]
    public void A_query_without_words_is_a_clear_error(string query)
    {
        using var collection = Create();
        var error = Assert.Throws<QuiverException>(() => collection.SearchKeyword(query, 5));
        Assert.Contains("no words", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void English_stemming_is_chosen_at_creation_and_kept()
    {
        using (var stemmed = Create(KeywordStemming.English, "stemmed"))
        using (var plain = Create(KeywordStemming.None, "plain"))
        {
            stemmed.Upsert([Doc("a", "Indexing the archives")]);
            plain.Upsert([Doc("a", "Indexing the archives")]);
            Assert.Equal("a", Assert.Single(stemmed.SearchKeyword("indexed archive", 5)).Id);
            Assert.Empty(plain.SearchKeyword("indexed archive", 5));
            Assert.Single(plain.SearchKeyword("INDEXING", 5));
        }

        var store = new CollectionStore(_folder.Path);
        using var reopened = store.Open("stemmed");
        Assert.Equal(KeywordStemming.English, reopened.KeywordStemming);
        Assert.Equal(KeywordStemming.None, store.Open("plain").KeywordStemming);
    }

    [Fact]
    public void A_collection_made_before_keyword_search_gets_its_index_on_open()
    {
        using (var collection = Create())
        {
            collection.Upsert([Doc("a", "lantern"), Doc("b", "compass"), Doc("c", null)]);
        }

        // Make the file look like one written before the keyword index existed.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "docs", "collection.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER keyword_after_insert; DROP TRIGGER keyword_after_delete; DROP TRIGGER keyword_after_update;
                DROP TABLE keyword_fts; DROP VIEW keyword_content; DELETE FROM meta WHERE key = 'keyword_stemming';
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        using var reopened = new CollectionStore(_folder.Path).Open("docs");
        Assert.Equal(KeywordStemming.None, reopened.KeywordStemming);
        Assert.Equal("b", Assert.Single(reopened.SearchKeyword("compass", 5)).Id);
        Assert.Equal((2L, 2L, 0L), reopened.KeywordCensus());
        reopened.CheckKeywordIntegrity();
        reopened.Upsert([Doc("c", "compass rose")]);
        Assert.Equal(2, reopened.SearchKeyword("compass", 5).Count);
    }

    [Fact]
    public void The_checks_notice_a_keyword_index_out_of_step()
    {
        using var collection = Create();
        collection.Upsert([Doc("a", "lantern"), Doc("b", "compass")]);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "docs", "collection.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER keyword_after_delete; DELETE FROM points WHERE id = 'a';";
            command.ExecuteNonQuery();
        }

        Assert.Equal((2L, 1L, 1L), collection.KeywordCensus());
        Assert.Throws<SqliteException>(collection.CheckKeywordIntegrity);
    }

    [Fact]
    public void Query_words_follow_unicode61_tokenisation()
    {
        Assert.Equal(["don", "t", "stop", "naïve", "3d"], KeywordQuery.Words("Don't STOP... naïve, 3D don"));
        Assert.Equal("\"a\" OR \"b\"", KeywordQuery.ToMatch("a* (b)"));
    }
}
