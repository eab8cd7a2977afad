using System.Linq.Expressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.VectorData;

namespace Quiver.VectorData.Tests;

public sealed class VectorDataTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CollectionStore _collections;
    private readonly QuiverVectorStore _store;

    public VectorDataTests()
    {
        _collections = new CollectionStore(_folder.Path);
        _store = new QuiverVectorStore(_collections);
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    public sealed class Hotel
    {
        [VectorStoreKey]
        public string Id { get; set; } = "";

        [VectorStoreData(StorageName = "hotel_name")]
        public string Name { get; set; } = "";

        [VectorStoreData]
        public int Rooms { get; set; }

        [VectorStoreData]
        public double Rating { get; set; }

        [VectorStoreData]
        public bool Open { get; set; }

        [VectorStoreData]
        public string[] Tags { get; set; } = [];

        [VectorStoreData]
        public string? Note { get; set; }

        [VectorStoreData]
        public int? Floors { get; set; }

        [VectorStoreData]
        public DateTimeOffset Opened { get; set; }

        [VectorStoreVector(4, DistanceFunction = DistanceFunction.CosineSimilarity)]
        public ReadOnlyMemory<float> Embedding { get; set; }
    }

    internal sealed class GuidNote
    {
        [VectorStoreKey]
        public Guid Id { get; set; }

        [VectorStoreData]
        public string Text { get; set; } = "";

        [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance)]
        public float[]? Vector { get; set; }
    }

    internal sealed class Measurement
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreData]
        public List<double> Readings { get; set; } = [];

        [VectorStoreVector(3, DistanceFunction = DistanceFunction.EuclideanDistance)]
        public Embedding<float>? Vector { get; set; }
    }

    internal sealed class DotRecord
    {
        [VectorStoreKey]
        public long Id { get; set; }

        [VectorStoreVector(3, DistanceFunction = DistanceFunction.DotProductSimilarity)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }

    internal sealed class TwoVectors
    {
        [VectorStoreKey]
        public string Id { get; set; } = "";

        [VectorStoreVector(2)]
        public ReadOnlyMemory<float> Title { get; set; }

        [VectorStoreVector(2)]
        public ReadOnlyMemory<float> Body { get; set; }
    }

    internal sealed class HammingRecord
    {
        [VectorStoreKey]
        public string Id { get; set; } = "";

        [VectorStoreVector(8, DistanceFunction = DistanceFunction.HammingDistance)]
        public ReadOnlyMemory<float> Bits { get; set; }
    }

    internal sealed class Document
    {
        [VectorStoreKey]
        public string Id { get; set; } = "";

        [VectorStoreVector(16)]
        public string? Text { get; set; }
    }

    // Mapped only through a VectorStoreCollectionDefinition.
    internal sealed class PlainRecord
    {
        public string Key { get; set; } = "";

        public string Title { get; set; } = "";

        public float[] Vector { get; set; } = [];
    }

    private static readonly float[][] HotelVectors =
    [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0.9f, 0.1f, 0, 0],
        [0, 0, 1, 0],
        [0.5f, 0.5f, 0.5f, 0.5f],
        [-1, 0.2f, 0, 0.1f],
    ];

    private static List<Hotel> SampleHotels() =>
    [
        new() { Id = "a", Name = "Alpha", Rooms = 10, Rating = 4.5, Open = true, Tags = ["pool", "spa"], Note = "quiet", Floors = 3, Embedding = HotelVectors[0] },
        new() { Id = "b", Name = "Bravo", Rooms = 20, Rating = 3.0, Open = false, Tags = ["pool"], Note = null, Floors = null, Embedding = HotelVectors[1] },
        new() { Id = "c", Name = "Charlie", Rooms = 5, Rating = 4.0, Open = true, Tags = [], Note = "busy", Floors = 1, Embedding = HotelVectors[2] },
        new() { Id = "d", Name = "Delta", Rooms = 50, Rating = 2.5, Open = true, Tags = ["gym", "spa"], Note = null, Floors = 10, Embedding = HotelVectors[3] },
        new() { Id = "e", Name = "Echo", Rooms = 15, Rating = 5.0, Open = false, Tags = ["gym"], Note = "new", Floors = null, Embedding = HotelVectors[4] },
        new() { Id = "f", Name = "Foxtrot", Rooms = 8, Rating = 3.5, Open = true, Tags = ["pool", "gym"], Note = null, Floors = 2, Embedding = HotelVectors[5] },
    ];

    private async Task<VectorStoreCollection<string, Hotel>> Hotels()
    {
        var hotels = _store.GetCollection<string, Hotel>("hotels");
        await hotels.EnsureCollectionExistsAsync();
        await hotels.UpsertAsync(SampleHotels());
        return hotels;
    }

    private static async Task<string[]> Ids(VectorStoreCollection<string, Hotel> hotels, Expression<Func<Hotel, bool>> filter) =>
        (await hotels.GetAsync(filter, 100).ToListAsync()).Select(h => h.Id).ToArray();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6f);
        }
    }

    private static float[] Unit(float[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * (double)x));
        return v.Select(x => (float)(x / norm)).ToArray();
    }

    [Fact]
    public async Task A_record_round_trips_with_every_data_property()
    {
        var hotels = _store.GetCollection<string, Hotel>("hotels");
        await hotels.EnsureCollectionExistsAsync();
        var opened = new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        await hotels.UpsertAsync(new Hotel
        {
            Id = "x", Name = "Xray", Rooms = 7, Rating = 4.25, Open = true, Tags = ["a", "b"], Note = null, Floors = 4, Opened = opened, Embedding = new float[] { 0, 3, 0, 4 },
        });

        var read = await hotels.GetAsync("x", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.NotNull(read);
        Assert.Equal(("x", "Xray", 7, 4.25, true), (read.Id, read.Name, read.Rooms, read.Rating, read.Open));
        Assert.Equal(["a", "b"], read.Tags);
        Assert.Null(read.Note);
        Assert.Equal(4, read.Floors);
        Assert.Equal(opened, read.Opened);
        Assert.Equal(opened.Offset, read.Opened.Offset);

        // A cosine collection keeps unit vectors, so the vector comes back normalised.
        AssertClose([0f, 0.6f, 0, 0.8f], read.Embedding.ToArray());

        // The data property lands in the payload under its storage name.
        using var collection = _collections.Open("hotels");
        var point = collection.Get("x")!;
        Assert.Equal("Xray", point.Payload!["hotel_name"]!.GetValue<string>());
        Assert.False(point.Payload.ContainsKey("Name"));
        Assert.Null(await hotels.GetAsync("missing"));
    }

    [Fact]
    public async Task Get_leaves_out_vectors_unless_asked()
    {
        var hotels = await Hotels();
        var without = await hotels.GetAsync("a");
        Assert.Equal(0, without!.Embedding.Length);
        var with = await hotels.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(HotelVectors[0], with!.Embedding.ToArray());
    }

    [Fact]
    public async Task Upsert_replaces_the_record_with_the_same_key()
    {
        var hotels = await Hotels();
        var changed = SampleHotels()[1];
        changed.Name = "Bravo II";
        changed.Rooms = 99;
        changed.Tags = [];
        await hotels.UpsertAsync(changed);

        var read = await hotels.GetAsync("b");
        Assert.Equal(("Bravo II", 99), (read!.Name, read.Rooms));
        Assert.Empty(read.Tags);
        Assert.Equal(6, (await hotels.GetAsync(r => true, 100).ToListAsync()).Count);
    }

    [Fact]
    public async Task A_batch_with_one_bad_record_writes_nothing()
    {
        var hotels = await Hotels();
        var good = new Hotel { Id = "g", Name = "Golf", Embedding = new float[] { 1, 1, 0, 0 } };
        var bad = new Hotel { Id = "h", Name = "Hotel", Embedding = new float[] { 1, 1, 0 } };

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => hotels.UpsertAsync([good, bad]));
        Assert.Contains("3 dimensions", error.Message);
        Assert.Equal("hotels", error.CollectionName);
        Assert.Null(await hotels.GetAsync("g"));
    }

    [Fact]
    public async Task Delete_removes_one_or_many_records_and_ignores_missing_keys()
    {
        var hotels = await Hotels();
        await hotels.DeleteAsync("a");
        Assert.Null(await hotels.GetAsync("a"));
        await hotels.DeleteAsync(["b", "c", "nope"]);
        Assert.Equal(["d", "e", "f"], await Ids(hotels, r => true));
    }

    [Fact]
    public async Task Get_many_returns_found_records_in_the_order_of_the_keys()
    {
        var hotels = await Hotels();
        var found = await hotels.GetAsync(["e", "missing", "a", "c"], new RecordRetrievalOptions { IncludeVectors = true }).ToListAsync();
        Assert.Equal(["e", "a", "c"], found.Select(h => h.Id));
        AssertClose(Unit(HotelVectors[4]), found[0].Embedding.ToArray());
    }

    [Fact]
    public async Task Search_orders_by_cosine_similarity_with_brute_force_scores()
    {
        var hotels = await Hotels();
        float[] query = [1, 0.2f, 0, 0];
        var expected = SampleHotels()
            .Select((h, i) => (h.Id, Score: Cosine(query, HotelVectors[i])))
            .OrderByDescending(x => x.Score)
            .ToList();

        var results = await hotels.SearchAsync(new ReadOnlyMemory<float>(query), 6).ToListAsync();
        Assert.Equal(expected.Select(x => x.Id), results.Select(r => r.Record.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Score, results[i].Score!.Value, 5);
        }

        Assert.Equal(["c", "a", "e", "b", "d", "f"], results.Select(r => r.Record.Id));
        Assert.Equal("Charlie", results[0].Record.Name);
        Assert.Equal(0, results[0].Record.Embedding.Length);
    }

    [Fact]
    public async Task Search_takes_float_arrays_and_embeddings_as_well()
    {
        var hotels = await Hotels();
        float[] query = [0, 0, 1, 0.1f];
        var byMemory = await hotels.SearchAsync(new ReadOnlyMemory<float>(query), 3).Select(r => r.Record.Id).ToListAsync();
        var byArray = await hotels.SearchAsync(query, 3).Select(r => r.Record.Id).ToListAsync();
        var byEmbedding = await hotels.SearchAsync(new Embedding<float>(query), 3).Select(r => r.Record.Id).ToListAsync();
        Assert.Equal(["d", "e", "f"], byMemory);
        Assert.Equal(byMemory, byArray);
        Assert.Equal(byMemory, byEmbedding);
    }

    [Fact]
    public async Task Search_honours_top_skip_filter_threshold_and_include_vectors()
    {
        var hotels = await Hotels();
        float[] query = [1, 0.2f, 0, 0];

        var page = await hotels.SearchAsync(query, 2, new VectorSearchOptions<Hotel> { Skip = 1 }).ToListAsync();
        Assert.Equal(["a", "e"], page.Select(r => r.Record.Id));

        var open = await hotels.SearchAsync(query, 10, new VectorSearchOptions<Hotel> { Filter = r => r.Open }).ToListAsync();
        Assert.Equal(["c", "a", "d", "f"], open.Select(r => r.Record.Id));

        var close = await hotels.SearchAsync(query, 10, new VectorSearchOptions<Hotel> { ScoreThreshold = 0.5 }).ToListAsync();
        Assert.Equal(["c", "a", "e"], close.Select(r => r.Record.Id));

        var withVectors = await hotels.SearchAsync(query, 1, new VectorSearchOptions<Hotel> { IncludeVectors = true }).ToListAsync();
        AssertClose(Unit(HotelVectors[2]), withVectors[0].Record.Embedding.ToArray());
    }

    [Fact]
    public async Task Search_refuses_an_input_it_cannot_turn_into_a_vector()
    {
        var hotels = await Hotels();
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => hotels.SearchAsync("a quiet hotel", 3).ToListAsync().AsTask());
        Assert.Contains("ReadOnlyMemory<float>, float[] or Embedding<float>", error.Message);
        Assert.Contains("String", error.Message);
    }

    [Fact]
    public async Task Euclidean_scores_are_distances_and_vectors_come_back_unchanged()
    {
        var notes = _store.GetCollection<Guid, GuidNote>("notes");
        await notes.EnsureCollectionExistsAsync();
        var near = Guid.Parse("00000000-0000-0000-0000-000000000001");
        var far = Guid.Parse("00000000-0000-0000-0000-000000000002");
        await notes.UpsertAsync([
            new GuidNote { Id = near, Text = "near", Vector = [1, 1] },
            new GuidNote { Id = far, Text = "far", Vector = [4, 5] },
        ]);

        var results = await notes.SearchAsync(new float[] { 1, 2 }, 5, new VectorSearchOptions<GuidNote> { IncludeVectors = true }).ToListAsync();
        Assert.Equal([near, far], results.Select(r => r.Record.Id));
        Assert.Equal(1.0, results[0].Score!.Value, 5);
        Assert.Equal(Math.Sqrt(9 + 9), results[1].Score!.Value, 5);
        Assert.Equal([4f, 5], results[1].Record.Vector!);

        // A distance threshold is a ceiling.
        var within = await notes.SearchAsync(new float[] { 1, 2 }, 5, new VectorSearchOptions<GuidNote> { ScoreThreshold = 2 }).ToListAsync();
        Assert.Equal([near], within.Select(r => r.Record.Id));
    }

    [Fact]
    public async Task Dot_product_scores_are_the_raw_dot_product()
    {
        var records = _store.GetCollection<long, DotRecord>("dots");
        await records.EnsureCollectionExistsAsync();
        await records.UpsertAsync([
            new DotRecord { Id = 1, Vector = new float[] { 1, 2, 3 } },
            new DotRecord { Id = 5_000_000_000, Vector = new float[] { 2, 0, 0 } },
        ]);

        var results = await records.SearchAsync(new float[] { 1, 1, 1 }, 2).ToListAsync();
        Assert.Equal([1L, 5_000_000_000L], results.Select(r => r.Record.Id));
        Assert.Equal([6.0, 2.0], results.Select(r => Math.Round(r.Score!.Value, 5)));
        Assert.NotNull(await records.GetAsync(5_000_000_000));
    }

    [Fact]
    public async Task Guid_keys_round_trip_and_an_empty_guid_gets_a_new_one()
    {
        var notes = _store.GetCollection<Guid, GuidNote>("notes");
        await notes.EnsureCollectionExistsAsync();
        var id = Guid.NewGuid();
        await notes.UpsertAsync(new GuidNote { Id = id, Text = "given", Vector = [1, 0] });
        Assert.Equal("given", (await notes.GetAsync(id))!.Text);
        using (var collection = _collections.Open("notes"))
        {
            Assert.NotNull(collection.Get(id.ToString("D")));
        }

        var generated = new GuidNote { Text = "generated", Vector = [0, 1] };
        await notes.UpsertAsync(generated);
        Assert.NotEqual(Guid.Empty, generated.Id);
        Assert.Equal("generated", (await notes.GetAsync(generated.Id))!.Text);

        await notes.DeleteAsync(id);
        Assert.Null(await notes.GetAsync(id));
    }

    [Fact]
    public async Task Int_keys_round_trip_with_embedding_vectors_and_number_lists()
    {
        var measurements = _store.GetCollection<int, Measurement>("measurements");
        await measurements.EnsureCollectionExistsAsync();
        await measurements.UpsertAsync([
            new Measurement { Id = 7, Readings = [1.5, 2.5], Vector = new Embedding<float>(new float[] { 1, 0, 0 }) },
            new Measurement { Id = -3, Readings = [9], Vector = new Embedding<float>(new float[] { 0, 1, 0 }) },
        ]);

        var read = await measurements.GetAsync(7, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(7, read!.Id);
        Assert.Equal([1.5, 2.5], read.Readings);
        Assert.Equal([1f, 0, 0], read.Vector!.Vector.ToArray());
        Assert.Equal([-3, 7], (await measurements.GetAsync(m => true, 10).ToListAsync()).Select(m => m.Id));
        Assert.Equal([7], (await measurements.GetAsync(m => m.Readings.Contains(2.5), 10).ToListAsync()).Select(m => m.Id));
    }

    public static TheoryData<string, Expression<Func<Hotel, bool>>, string[]> Filters()
    {
        var min = 15;
        var wanted = new Hotel { Name = "Delta" };
        var names = new List<string> { "Bravo", "Foxtrot" };
        var rooms = new[] { 5, 50 };
        var spaOrGym = new[] { "spa", "gym" };
        return new()
        {
            { "equal", r => r.Name == "Alpha", ["a"] },
            { "equal, constant first", r => "Bravo" == r.Name, ["b"] },
            { "not equal", r => r.Name != "Alpha", ["b", "c", "d", "e", "f"] },
            { "less", r => r.Rooms < 10, ["c", "f"] },
            { "less or equal", r => r.Rooms <= 10, ["a", "c", "f"] },
            { "greater", r => r.Rooms > 15, ["b", "d"] },
            { "greater or equal", r => r.Rooms >= 15, ["b", "d", "e"] },
            { "greater, constant first", r => 10 < r.Rooms, ["b", "d", "e"] },
            { "double range", r => r.Rating >= 4.0 && r.Rating < 5, ["a", "c"] },
            { "bool", r => r.Open, ["a", "c", "d", "f"] },
            { "not bool", r => !r.Open, ["b", "e"] },
            { "bool equals false", r => r.Open == false, ["b", "e"] },
            { "and", r => r.Open && r.Rating > 3, ["a", "c", "f"] },
            { "or", r => r.Name == "Alpha" || r.Rooms > 40, ["a", "d"] },
            { "not", r => !(r.Rooms > 10), ["a", "c", "f"] },
            { "nested", r => (r.Open || r.Rating == 5) && !(r.Name == "Delta"), ["a", "c", "e", "f"] },
            { "null", r => r.Note == null, ["b", "d", "f"] },
            { "not null", r => r.Note != null, ["a", "c", "e"] },
            { "nullable number null", r => r.Floors == null, ["b", "e"] },
            { "nullable number range", r => r.Floors > 2, ["a", "d"] },
            { "nullable number equal", r => r.Floors == 2, ["f"] },
            { "has value", r => r.Floors.HasValue, ["a", "c", "d", "f"] },
            { "array contains", r => r.Tags.Contains("spa"), ["a", "d"] },
            { "array contains, negated", r => !r.Tags.Contains("pool"), ["c", "d", "e"] },
            { "array literal contains property", r => new[] { "Alpha", "Echo" }.Contains(r.Name), ["a", "e"] },
            { "list contains property", r => names.Contains(r.Name), ["b", "f"] },
            { "captured number array contains property", r => rooms.Contains(r.Rooms), ["c", "d"] },
            { "any tag of several", r => spaOrGym.Any(t => t == "spa") && r.Tags.Contains(spaOrGym[1]), ["d", "e", "f"] },
            { "captured variable", r => r.Rooms >= min, ["b", "d", "e"] },
            { "member of a captured object", r => r.Name == wanted.Name, ["d"] },
            { "always", r => true, ["a", "b", "c", "d", "e", "f"] },
            { "never", r => false, [] },
        };
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Filter_expressions_select_the_expected_records(string form, Expression<Func<Hotel, bool>> filter, string[] expected)
    {
        var hotels = await Hotels();
        Assert.NotEmpty(form);
        Assert.Equal(expected, await Ids(hotels, filter));
    }

    [Fact]
    public async Task A_filter_it_cannot_translate_names_the_expression()
    {
        var hotels = await Hotels();
        var startsWith = await Assert.ThrowsAsync<NotSupportedException>(() => Ids(hotels, r => r.Name.StartsWith("A")));
        Assert.Contains("'r.Name.StartsWith(\"A\")'", startsWith.Message);
        Assert.Contains("supported: ==, !=, <, <=, >, >=, &&, ||, !, Contains", startsWith.Message);

        var twoProperties = await Assert.ThrowsAsync<NotSupportedException>(() => Ids(hotels, r => r.Name == r.Note));
        Assert.Contains("'(r.Name == r.Note)'", twoProperties.Message);

        var key = await Assert.ThrowsAsync<NotSupportedException>(() => Ids(hotels, r => r.Id == "a"));
        Assert.Contains("key property 'Id'", key.Message);

        var textRange = await Assert.ThrowsAsync<NotSupportedException>(
            () => hotels.SearchAsync(new float[] { 1, 0, 0, 0 }, 3, new VectorSearchOptions<Hotel> { Filter = r => r.Opened > DateTimeOffset.UnixEpoch }).ToListAsync().AsTask());
        Assert.Contains("compare numbers only", textRange.Message);
    }

    [Fact]
    public async Task A_point_written_without_a_field_reads_as_default_and_matches_null()
    {
        var hotels = await Hotels();
        using (var collection = _collections.Open("hotels"))
        {
            collection.Upsert([new Point("z", [0, 0, 0, 1], new System.Text.Json.Nodes.JsonObject { ["hotel_name"] = "Zulu" })]);
        }

        var zulu = await hotels.GetAsync("z");
        Assert.Equal(("Zulu", 0, null, null), (zulu!.Name, zulu.Rooms, zulu.Note, zulu.Floors));
        Assert.Equal(["b", "d", "f", "z"], await Ids(hotels, r => r.Note == null));
        Assert.Equal(["b", "e", "z"], await Ids(hotels, r => r.Floors == null));
    }

    [Fact]
    public async Task Get_by_filter_pages_in_key_order_or_by_a_property()
    {
        var hotels = await Hotels();
        var page = await hotels.GetAsync(r => r.Rooms > 5, 2, new FilteredRecordRetrievalOptions<Hotel> { Skip = 1 }).ToListAsync();
        Assert.Equal(["b", "d"], page.Select(h => h.Id));

        var biggest = await hotels.GetAsync(
            r => true,
            3,
            new FilteredRecordRetrievalOptions<Hotel> { OrderBy = o => o.Descending(h => h.Rooms), IncludeVectors = true }).ToListAsync();
        Assert.Equal(["d", "b", "e"], biggest.Select(h => h.Id));
        Assert.Equal(HotelVectors[3], biggest[0].Embedding.ToArray());

        var byOpenThenName = await hotels.GetAsync(
            r => true,
            10,
            new FilteredRecordRetrievalOptions<Hotel> { OrderBy = o => o.Ascending(h => h.Open).Descending(h => h.Name), Skip = 1 }).ToListAsync();
        Assert.Equal(["b", "f", "d", "c", "a"], byOpenThenName.Select(h => h.Id));
    }

    [Fact]
    public async Task Collections_are_listed_checked_and_deleted()
    {
        Assert.Empty(await _store.ListCollectionNamesAsync().ToListAsync());
        var hotels = await Hotels();
        var notes = _store.GetCollection<Guid, GuidNote>("notes");
        Assert.False(await notes.CollectionExistsAsync());
        await notes.EnsureCollectionExistsAsync();
        await notes.EnsureCollectionExistsAsync();

        Assert.Equal(["hotels", "notes"], await _store.ListCollectionNamesAsync().ToListAsync());
        Assert.True(await _store.CollectionExistsAsync("hotels"));
        Assert.True(await hotels.CollectionExistsAsync());

        await _store.EnsureCollectionDeletedAsync("hotels");
        Assert.False(await hotels.CollectionExistsAsync());
        Assert.Equal(["notes"], await _store.ListCollectionNamesAsync().ToListAsync());
        var missing = await Assert.ThrowsAsync<VectorStoreException>(() => hotels.GetAsync("a"));
        Assert.Contains("does not exist", missing.Message);
        Assert.Contains("EnsureCollectionExistsAsync", missing.Message);

        await notes.EnsureCollectionDeletedAsync();
        await notes.EnsureCollectionDeletedAsync();
        Assert.Empty(await _store.ListCollectionNamesAsync().ToListAsync());

        // Recreated after deletion, it starts empty.
        await hotels.EnsureCollectionExistsAsync();
        Assert.Empty(await hotels.GetAsync(r => true, 10).ToListAsync());
    }

    [Fact]
    public async Task A_new_collection_is_a_raw_space_with_the_records_dimensions_and_metric()
    {
        var hotels = await Hotels();
        var collection = Assert.IsType<Collection>(hotels.GetService(typeof(Collection)));
        Assert.Equal(EmbeddingSpace.Raw(4, DistanceMetric.Cosine), collection.Space);
        Assert.Same(_collections, hotels.GetService(typeof(CollectionStore)));
        Assert.Same(_collections, _store.GetService(typeof(CollectionStore)));
        Assert.Equal("hotels", ((VectorStoreCollectionMetadata)hotels.GetService(typeof(VectorStoreCollectionMetadata))!).CollectionName);
        Assert.Equal("quiver", ((VectorStoreMetadata)_store.GetService(typeof(VectorStoreMetadata))!).VectorStoreSystemName);
        Assert.Null(_store.GetService(typeof(string)));
    }

    [Fact]
    public async Task An_existing_collection_with_another_metric_is_refused()
    {
        _collections.Create("hotels", new CollectionOptions(EmbeddingSpace.Raw(4, DistanceMetric.Dot))).Dispose();
        var hotels = _store.GetCollection<string, Hotel>("hotels");
        var error = await Assert.ThrowsAsync<VectorStoreException>(() => hotels.EnsureCollectionExistsAsync());
        Assert.Contains("Dot", error.Message);
        Assert.Contains("CosineSimilarity", error.Message);
    }

    [Fact]
    public void Record_types_quiver_cannot_store_are_refused_by_name()
    {
        var twoVectors = Assert.Throws<NotSupportedException>(() => _store.GetCollection<string, TwoVectors>("two"));
        Assert.Contains("TwoVectors", twoVectors.Message);
        Assert.Contains("Title, Body", twoVectors.Message);

        var hamming = Assert.Throws<NotSupportedException>(() => _store.GetCollection<string, HammingRecord>("bits"));
        Assert.Contains("HammingDistance", hamming.Message);

        var wrongKey = Assert.Throws<InvalidOperationException>(() => _store.GetCollection<int, Hotel>("hotels"));
        Assert.Contains("Int32", wrongKey.Message);

        var badName = Assert.Throws<ArgumentException>(() => _store.GetCollection<string, Hotel>("no/slashes"));
        Assert.Contains("no/slashes", badName.Message);

        var noGenerator = Assert.Throws<NotSupportedException>(() => _store.GetCollection<string, Document>("docs"));
        Assert.Contains("IEmbeddingGenerator<string, Embedding<float>>", noGenerator.Message);
    }

    [Fact]
    public async Task A_collection_definition_maps_a_record_without_attributes()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(PlainRecord.Key), typeof(string)),
                new VectorStoreDataProperty(nameof(PlainRecord.Title), typeof(string)) { StorageName = "title" },
                new VectorStoreVectorProperty(nameof(PlainRecord.Vector), typeof(float[]), 2) { DistanceFunction = DistanceFunction.EuclideanDistance },
            ],
        };
        var plain = _store.GetCollection<string, PlainRecord>("plain", definition);
        await plain.EnsureCollectionExistsAsync();
        await plain.UpsertAsync([new PlainRecord { Key = "p", Title = "first", Vector = [3, 4] }, new PlainRecord { Key = "q", Title = "second", Vector = [0, 1] }]);

        var hit = Assert.Single(await plain.SearchAsync(new float[] { 0, 0 }, 1, new VectorSearchOptions<PlainRecord> { Filter = r => r.Title == "first" }).ToListAsync());
        Assert.Equal(("p", "first", 5.0), (hit.Record.Key, hit.Record.Title, Math.Round(hit.Score!.Value, 5)));
        using var collection = _collections.Open("plain");
        Assert.Equal("first", collection.Get("p")!.Payload!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dynamic_collection_stores_dictionaries()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(long)),
                new VectorStoreDataProperty("City", typeof(string)),
                new VectorStoreDataProperty("Population", typeof(int)),
                new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 2) { DistanceFunction = DistanceFunction.DotProductSimilarity },
            ],
        };
        var cities = _store.GetDynamicCollection("cities", definition);
        await cities.EnsureCollectionExistsAsync();
        await cities.UpsertAsync([
            new Dictionary<string, object?> { ["Id"] = 1L, ["City"] = "Lyon", ["Population"] = 500_000, ["Vector"] = new ReadOnlyMemory<float>([1, 0]) },
            new Dictionary<string, object?> { ["Id"] = 2L, ["City"] = "Nice", ["Population"] = 340_000, ["Vector"] = new ReadOnlyMemory<float>([0, 1]) },
        ]);

        var lyon = await cities.GetAsync(1L);
        Assert.Equal("Lyon", lyon!["City"]);
        Assert.Equal(500_000, lyon["Population"]);
        var small = await cities.GetAsync(r => (int)r["Population"]! < 400_000, 10).ToListAsync();
        Assert.Equal([2L], small.Select(r => (long)r["Id"]!));
        var nearest = await cities.SearchAsync(new float[] { 0.2f, 1 }, 1).ToListAsync();
        Assert.Equal("Nice", nearest[0].Record["City"]);
        await Assert.ThrowsAsync<ArgumentException>(() => cities.GetAsync(1));
    }

    [Fact]
    public async Task A_string_vector_property_is_embedded_by_the_configured_generator()
    {
        var generator = new BagOfWordsGenerator();
        using var store = new QuiverVectorStore(_collections, generator);
        var documents = store.GetCollection<string, Document>("docs");
        await documents.EnsureCollectionExistsAsync();
        await documents.UpsertAsync([
            new Document { Id = "1", Text = "red apples and pears" },
            new Document { Id = "2", Text = "fast cars on roads" },
            new Document { Id = "3", Text = "green apples" },
        ]);
        Assert.Equal(1, generator.Calls);

        var results = await documents.SearchAsync("fast cars on roads", 2).ToListAsync();
        Assert.Equal("2", results[0].Record.Id);
        Assert.Equal(1.0, results[0].Score!.Value, 4);
        Assert.Equal("fast cars on roads", results[0].Record.Text);
        Assert.Equal("green apples", (await documents.GetAsync("3"))!.Text);
    }
}
