using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.Store.Tests;

public sealed class CollectionTests : IDisposable
{
    private static readonly EmbeddingSpace Space = new(new ModelReference("test-model", "sif", "rev1"), 4, DistanceMetric.Cosine, true);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CollectionStore NewStore() => new(_folder.Path);

    private static float[] RandomVector(Random random, int dimensions) =>
        Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    [Fact]
    public void Points_persist_across_reopening_the_store()
    {
        using (var collection = NewStore().Create("docs", new CollectionOptions(Space)))
        {
            collection.Upsert([
                new Point("a", [1, 0, 0, 0], new JsonObject { ["lang"] = "en" }, "first"),
                new Point("b", [0, 2, 0, 0], null, null),
            ], Space);
        }

        using var reopened = NewStore().Open("docs");
        Assert.Equal(2, reopened.Count());
        Assert.Equal(Space, reopened.Space);
        var a = reopened.Get("a");
        Assert.NotNull(a);
        Assert.Equal("first", a.Text);
        Assert.Equal("en", a.Payload!["lang"]!.GetValue<string>());
        Assert.Equal([1f, 0, 0, 0], a.Vector);

        // Cosine collections store unit vectors.
        Assert.Equal([0f, 1, 0, 0], reopened.Get("b")!.Vector);
        Assert.Null(reopened.Get("missing"));
        Assert.Equal(["docs"], NewStore().List());
    }

    [Fact]
    public void Upsert_replaces_a_point_with_the_same_id()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        collection.Upsert([new Point("a", [1, 0, 0, 0], null, "old")]);
        collection.Upsert([new Point("a", [0, 1, 0, 0], null, "new")]);
        Assert.Equal(1, collection.Count());
        Assert.Equal("new", collection.Get("a")!.Text);
        var hit = Assert.Single(collection.Search([0, 1, 0, 0], 5));
        Assert.Equal("a", hit.Id);
        Assert.Equal(1f, hit.Score, 5);
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Dot)]
    [InlineData(DistanceMetric.Euclidean)]
    public void Search_returns_the_exact_top_k_for_each_metric(DistanceMetric metric)
    {
        var space = EmbeddingSpace.Raw(8, metric);
        var random = new Random(42);
        var points = Enumerable.Range(0, 300).Select(i => new Point($"p{i}", RandomVector(random, 8))).ToList();
        using var collection = NewStore().Create("m", new CollectionOptions(space));
        collection.Upsert(points);
        var query = RandomVector(random, 8);

        var hits = collection.Search(query, 10);

        var expected = points
            .Select(p => (p.Id, Score: metric switch
            {
                DistanceMetric.Cosine => -VectorMath.Cosine(query, p.Vector),
                DistanceMetric.Dot => -VectorMath.Dot(query, p.Vector),
                _ => VectorMath.Euclidean(query, p.Vector),
            }))
            .OrderBy(x => x.Score)
            .Take(10)
            .Select(x => x.Id)
            .ToList();
        Assert.Equal(expected, hits.Select(h => h.Id).ToList());
        if (metric == DistanceMetric.Euclidean)
        {
            Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score <= p.Second.Score), "Euclidean scores are distances, ascending");
        }
        else
        {
            Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "similarities descend");
        }
    }

    [Fact]
    public void Search_returns_payload_and_text_and_at_most_the_points_there_are()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        collection.Upsert([new Point("a", [1, 0, 0, 0], new JsonObject { ["path"] = "x.txt" }, "hello")]);
        var hit = Assert.Single(collection.Search([1, 1, 0, 0], 10));
        Assert.Equal("hello", hit.Text);
        Assert.Equal("x.txt", hit.Payload!["path"]!.GetValue<string>());
    }

    [Fact]
    public void Filters_match_strings_numbers_booleans_nested_fields_and_array_elements()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        collection.Upsert([
            new Point("a", [1, 0, 0, 0], JsonNode.Parse("""{"lang":"en","year":2021,"draft":false,"meta":{"source":"web"},"tags":["x","y"]}""")!.AsObject()),
            new Point("b", [1, 0.1f, 0, 0], JsonNode.Parse("""{"lang":"fr","year":2021.0,"draft":true,"meta":{"source":"book"},"tags":["y"]}""")!.AsObject()),
            new Point("c", [1, 0.2f, 0, 0], JsonNode.Parse("""{"lang":"en","year":"2021","meta":{"lang":"en"}}""")!.AsObject()),
            new Point("d", [1, 0.3f, 0, 0]),
        ]);

        string[] Matching(params string[] conditions) => collection
            .Search([1, 0, 0, 0], 10, new PayloadFilter(conditions.Select(PayloadFilter.ParseCondition).ToList()))
            .Select(h => h.Id).Order().ToArray();

        Assert.Equal(["a", "c"], Matching("lang=en"));
        Assert.Equal(["a", "b"], Matching("year=2021"));
        Assert.Equal(["c"], Matching("year=\"2021\""));
        Assert.Equal(["b"], Matching("draft=true"));
        Assert.Equal(["a"], Matching("draft=false"));
        Assert.Equal(["b"], Matching("meta.source=book"));
        Assert.Equal(["a", "b"], Matching("tags=y"));
        Assert.Equal(["a"], Matching("tags=x", "lang=en"));
        Assert.Empty(Matching("lang=de"));
        Assert.Empty(Matching("meta=web"));
        Assert.Equal(2, collection.Count(new PayloadFilter([PayloadFilter.ParseCondition("lang=en")])));
        Assert.Equal(["a", "c"], collection.Ids(PayloadFilter.Equal("lang", JsonValue.Create("en"))));
    }

    [Fact]
    public void A_bad_filter_key_is_refused_with_the_key_named()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        var e = Assert.Throws<QuiverException>(() => collection.Count(PayloadFilter.Equal("a..b", JsonValue.Create(1))));
        Assert.Contains("a..b", e.Message);
        Assert.Throws<QuiverException>(() => PayloadFilter.ParseCondition("no-equals-sign"));
    }

    [Fact]
    public void Vectors_of_the_wrong_dimension_are_refused_naming_both_and_nothing_is_written()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        var e = Assert.Throws<InvalidVectorException>(() => collection.Upsert([
            new Point("ok", [1, 0, 0, 0]),
            new Point("bad", [1, 0, 0]),
        ]));
        Assert.Contains("3 dimensions", e.Message);
        Assert.Contains("4-dimensional", e.Message);
        Assert.Contains("'bad'", e.Message);
        Assert.Equal(0, collection.Count());
    }

    [Fact]
    public void Vectors_from_another_embedding_space_are_refused_naming_both()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        var other = Space with { Model = Space.Model with { Revision = "rev2" } };
        var e = Assert.Throws<EmbeddingSpaceMismatchException>(() => collection.Upsert([new Point("a", [1, 0, 0, 0])], other));
        Assert.Contains("rev1", e.Message);
        Assert.Contains("rev2", e.Message);
        Assert.Throws<EmbeddingSpaceMismatchException>(() => collection.Search([1, 0, 0, 0], 1, source: Space with { Model = Space.Model with { Name = "other" } }));
        Assert.Equal(0, collection.Count());
    }

    [Fact]
    public void NaN_infinite_and_zero_vectors_are_refused()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        Assert.Contains("NaN", Assert.Throws<InvalidVectorException>(() => collection.Upsert([new Point("a", [1, float.NaN, 0, 0])])).Message);
        Assert.Contains("infinite", Assert.Throws<InvalidVectorException>(() => collection.Upsert([new Point("a", [1, float.PositiveInfinity, 0, 0])])).Message);
        Assert.Contains("zero vector", Assert.Throws<InvalidVectorException>(() => collection.Upsert([new Point("a", [0, 0, 0, 0])])).Message);
        Assert.Throws<InvalidVectorException>(() => collection.Search([float.NaN, 0, 0, 0], 1));
        Assert.Throws<InvalidVectorException>(() => collection.Search([1, 0, 0], 1));
        Assert.Equal(0, collection.Count());
    }

    [Fact]
    public void Duplicate_and_empty_ids_in_a_batch_are_refused()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        Assert.Contains("twice", Assert.Throws<QuiverException>(() => collection.Upsert([new Point("a", [1, 0, 0, 0]), new Point("a", [0, 1, 0, 0])])).Message);
        Assert.Contains("empty id", Assert.Throws<QuiverException>(() => collection.Upsert([new Point("", [1, 0, 0, 0])])).Message);
        Assert.Equal(0, collection.Count());
    }

    [Fact]
    public void Deleted_points_disappear_from_get_count_and_search()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        collection.Upsert([new Point("a", [1, 0, 0, 0]), new Point("b", [0, 1, 0, 0])]);
        Assert.Equal(2, collection.Search([1, 0, 0, 0], 5).Count);
        Assert.Equal(1, collection.Delete(["a", "never-there"]));
        Assert.Null(collection.Get("a"));
        Assert.Equal(1, collection.Count());
        Assert.Equal(["b"], collection.Search([1, 0, 0, 0], 5).Select(h => h.Id));
    }

    [Fact]
    public void A_second_handle_sees_writes_and_deletes_made_through_another()
    {
        using var writer = NewStore().Open(NewStore().Create("docs", new CollectionOptions(Space)).Name);
        using var reader = NewStore().Open("docs");
        writer.Upsert([new Point("a", [1, 0, 0, 0]), new Point("b", [0, 1, 0, 0])]);
        Assert.Equal(["a", "b"], reader.Search([1, 0.5f, 0, 0], 5).Select(h => h.Id));

        writer.Delete(["a"]);
        writer.Upsert([new Point("c", [1, 0, 0, 0])]);
        Assert.Equal(["c", "b"], reader.Search([1, 0.5f, 0, 0], 5).Select(h => h.Id));

        // Delete then re-insert the same id: the replay must apply both in order.
        writer.Delete(["b"]);
        writer.Upsert([new Point("b", [0, 0, 1, 0])]);
        var hits = reader.Search([0, 0, 1, 0], 1);
        Assert.Equal("b", hits[0].Id);
        Assert.Equal(1f, hits[0].Score, 5);
    }

    [Fact]
    public void Readers_search_while_a_writer_writes()
    {
        var store = NewStore();
        store.Create("docs", new CollectionOptions(EmbeddingSpace.Raw(16, DistanceMetric.Dot))).Dispose();
        var errors = new List<Exception>();
        var done = false;
        var writerThread = new Thread(() =>
        {
            try
            {
                using var writer = NewStore().Open("docs");
                var random = new Random(1);
                for (var batch = 0; batch < 40; batch++)
                {
                    writer.Upsert(Enumerable.Range(0, 50).Select(i => new Point($"{batch}-{i}", RandomVector(random, 16))).ToList());
                }
            }
            catch (Exception e)
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            }
            finally
            {
                Volatile.Write(ref done, true);
            }
        });
        var readers = Enumerable.Range(0, 3).Select(r => new Thread(() =>
        {
            try
            {
                using var reader = NewStore().Open("docs");
                var random = new Random(100 + r);
                long last = 0;
                while (!Volatile.Read(ref done))
                {
                    reader.Search(RandomVector(random, 16), 5);
                    var count = reader.Count();
                    Assert.True(count >= last, "the count never goes backwards");
                    Assert.Equal(0, count % 50);
                    last = count;
                }
            }
            catch (Exception e)
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            }
        })).ToList();

        writerThread.Start();
        readers.ForEach(t => t.Start());
        writerThread.Join();
        readers.ForEach(t => t.Join());

        Assert.Empty(errors);
        using var check = store.Open("docs");
        Assert.Equal(2000, check.Count());
        Assert.Equal(5, check.Search(new float[16].Select((_, i) => (float)i).ToArray(), 5).Count);
    }

    [Fact]
    public void Store_refuses_duplicates_missing_collections_bad_names_and_other_spaces()
    {
        var store = NewStore();
        store.Create("docs", new CollectionOptions(Space)).Dispose();
        Assert.Contains("already exists", Assert.Throws<QuiverException>(() => store.Create("docs", new CollectionOptions(Space))).Message);
        var missing = Assert.Throws<CollectionNotFoundException>(() => store.Open("nope"));
        Assert.Contains("docs", missing.Message);
        Assert.Contains("not a valid collection name", Assert.Throws<QuiverException>(() => store.Open("../escape")).Message);
        Assert.Throws<EmbeddingSpaceMismatchException>(() => store.OpenOrCreate("docs", new CollectionOptions(Space with { Dimensions = 8 })));
        using (var same = store.OpenOrCreate("docs", new CollectionOptions(Space)))
        {
            Assert.Equal("docs", same.Name);
        }

        Assert.True(store.Delete("docs"));
        Assert.False(store.Delete("docs"));
        Assert.Empty(store.List());
    }

    [Fact]
    public void Info_reports_count_sequence_and_size()
    {
        using var collection = NewStore().Create("docs", new CollectionOptions(Space));
        collection.Upsert([new Point("a", [1, 0, 0, 0]), new Point("b", [0, 1, 0, 0])]);
        collection.Delete(["a"]);
        var info = collection.Info();
        Assert.Equal(1, info.Count);
        Assert.Equal(3, info.Sequence);
        Assert.True(info.DatabaseBytes > 0);
        Assert.Equal(Space, info.Space);
    }
}
