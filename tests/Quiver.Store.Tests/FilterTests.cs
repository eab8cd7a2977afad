using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.Store.Tests;

public sealed class FilterTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Collection _collection;

    public FilterTests()
    {
        _collection = new CollectionStore(_folder.Path).Create("f", new CollectionOptions(EmbeddingSpace.Raw(2, DistanceMetric.Dot)));
        var payloads = new Dictionary<string, string>
        {
            ["a"] = """{"n": 1, "lang": "en", "tags": ["x", "y"], "meta": {"score": 0.5}, "note": null}""",
            ["b"] = """{"n": 5, "lang": "fr", "tags": [], "meta": {"score": 2.5}}""",
            ["c"] = """{"n": 10, "lang": "en", "tags": ["z"], "note": "hi"}""",
            ["d"] = """{"n": [2, 20], "lang": "de"}""",
            ["e"] = """{}""",
        };
        _collection.Upsert(payloads.Select(p => new Point(p.Key, [1, 0], JsonNode.Parse(p.Value)!.AsObject())).ToList());
    }

    public void Dispose()
    {
        _collection.Dispose();
        _folder.Dispose();
    }

    private string[] Ids(PayloadFilter filter) => _collection.Ids(filter).ToArray();

    [Fact]
    public void Match_any_of_several_values()
    {
        Assert.Equal(["a", "b", "c"], Ids(new([new MatchAnyCondition("lang", [JsonValue.Create("en"), JsonValue.Create("fr")])])));
        Assert.Equal(["a", "c"], Ids(new([new MatchAnyCondition("tags", [JsonValue.Create("x"), JsonValue.Create("z")])])));
        Assert.Empty(Ids(new([new MatchAnyCondition("lang", [])])));
    }

    [Fact]
    public void Ranges_with_open_and_closed_bounds_and_array_elements()
    {
        Assert.Equal(["b", "c", "d"], Ids(new([new RangeCondition("n", Gte: 5)])));
        Assert.Equal(["c", "d"], Ids(new([new RangeCondition("n", Gt: 5)])));
        Assert.Equal(["a", "b", "d"], Ids(new([new RangeCondition("n", Lte: 5)])));
        Assert.Equal(["a", "d"], Ids(new([new RangeCondition("n", Gt: 0, Lt: 5)])));
        Assert.Equal(["b"], Ids(new([new RangeCondition("meta.score", Gt: 1, Lte: 2.5)])));
        Assert.Contains("no bound", Assert.Throws<QuiverException>(() => Ids(new([new RangeCondition("n")]))).Message);
    }

    [Fact]
    public void Is_null_and_is_empty()
    {
        Assert.Equal(["a"], Ids(new([new IsNullCondition("note")])));
        Assert.Equal(["a", "b", "d", "e"], Ids(new([new IsEmptyCondition("note")])));
        Assert.Equal(["b", "d", "e"], Ids(new([new IsEmptyCondition("tags")])));
    }

    [Fact]
    public void Must_should_and_must_not_combine()
    {
        var en = new FieldCondition("lang", JsonValue.Create("en"));
        var fr = new FieldCondition("lang", JsonValue.Create("fr"));
        var big = new RangeCondition("n", Gte: 10);
        Assert.Equal(["a", "b", "c"], Ids(new(Should: [en, fr])));
        Assert.Equal(["a"], Ids(new(Must: [en], MustNot: [big])));
        Assert.Equal(["d", "e"], Ids(new(MustNot: [en, fr])));
        Assert.Equal(["c"], Ids(new(Must: [en], Should: [big, new FieldCondition("lang", JsonValue.Create("xx"))])));

        // (lang = fr) OR (lang = en AND n >= 10)
        Assert.Equal(["b", "c"], Ids(new(Should: [fr, new NestedFilterCondition(new PayloadFilter([en, big]))])));
        Assert.Equal(["a", "b", "c", "d", "e"], Ids(new()));
    }

    [Fact]
    public void Payload_indexes_give_the_same_answers_through_the_index()
    {
        var en = new PayloadFilter([new FieldCondition("lang", JsonValue.Create("en"))]);
        var anyOf = new PayloadFilter([new MatchAnyCondition("lang", [JsonValue.Create("fr"), JsonValue.Create("de")])]);
        var range = new PayloadFilter([new RangeCondition("meta.score", Gt: 1)]);
        Assert.DoesNotContain("payload_", _collection.ExplainFilter(en));

        _collection.CreatePayloadIndex("lang", PayloadIndexKind.Keyword);
        _collection.CreatePayloadIndex("meta.score", PayloadIndexKind.Float);

        Assert.Equal(["a", "c"], Ids(en));
        Assert.Equal(["b", "d"], Ids(anyOf));
        Assert.Equal(["b"], Ids(range));
        Assert.Contains("USING INDEX payload_", _collection.ExplainFilter(en));
        Assert.Contains("USING INDEX payload_", _collection.ExplainFilter(range));

        // The index is part of the collection: a new handle uses it too.
        using var reopened = new CollectionStore(_folder.Path).Open("f");
        Assert.Equal(PayloadIndexKind.Keyword, reopened.PayloadIndexes["lang"]);
        Assert.Contains("USING INDEX payload_", reopened.ExplainFilter(anyOf));
        Assert.Equal(["b", "d"], reopened.Ids(anyOf).ToArray());
    }

    [Fact]
    public void Indexed_fields_answer_filters_in_memory_with_the_same_results_as_sqlite()
    {
        var en = new FieldCondition("lang", JsonValue.Create("en"));
        var filters = new PayloadFilter[]
        {
            new([en]),
            new(MustNot: [en]),
            new([new MatchAnyCondition("lang", [JsonValue.Create("fr"), JsonValue.Create("de")])]),
            new([new RangeCondition("meta.score", Gte: 0.5, Lt: 2.5)]),
            new(MustNot: [new RangeCondition("meta.score", Gt: 1)]),
            new(Should: [en, new NestedFilterCondition(new PayloadFilter([new RangeCondition("meta.score", Gt: 2)]))]),
        };
        var before = filters.Select(f => Ids(f)).ToList();
        _collection.Search([1, 0], 10);
        _collection.CreatePayloadIndex("lang", PayloadIndexKind.Keyword);
        _collection.CreatePayloadIndex("meta.score", PayloadIndexKind.Float);
        using var reopened = new CollectionStore(_folder.Path).Open("f");
        for (var i = 0; i < filters.Length; i++)
        {
            Assert.Equal(before[i], Ids(filters[i]));
            Assert.Equal(before[i], _collection.Search([1, 0], 10, filters[i]).Select(h => h.Id).Order().ToArray());
            Assert.Equal(before[i], reopened.Search([1, 0], 10, filters[i]).Select(h => h.Id).Order().ToArray());
        }

        // Points written after the index exists get their column values too.
        _collection.Upsert([new Point("f", [1, 0], JsonNode.Parse("""{"lang": "en", "meta": {"score": 9}}""")!.AsObject())]);
        Assert.Equal(["a", "c", "f"], _collection.Search([1, 0], 10, new PayloadFilter([en])).Select(h => h.Id).Order().ToArray());
        Assert.Equal(["f"], reopened.Search([1, 0], 10, new PayloadFilter([new RangeCondition("meta.score", Gt: 5)])).Select(h => h.Id).ToArray());
    }

    [Fact]
    public void Conditions_parse_from_the_command_line_form()
    {
        Assert.Equal(["b", "c", "d"], Ids(new([PayloadFilter.ParseCondition("n>=5")])));
        Assert.Equal(["a", "d"], Ids(new([PayloadFilter.ParseCondition("n<5")])));
        Assert.Equal(["b", "d", "e"], Ids(new([PayloadFilter.ParseCondition("lang!=en")])));
        Assert.Contains("not a number", Assert.Throws<QuiverException>(() => PayloadFilter.ParseCondition("n>abc")).Message);
    }
}
