using System.Text.Json.Nodes;

namespace Quiver.Server.Tests;

/// <summary>Qdrant's collection and point routes with raw vectors, and Quiver's text extension.</summary>
public sealed class CollectionsApiTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task CreateRaw(string name, int size = 3, string distance = "Cosine") =>
        await _server.Ok(_server.Put($"/collections/{name}", new { vectors = new { size, distance } }));

    private async Task UpsertGrid(string name, int count)
    {
        var points = Enumerable.Range(0, count).Select(i => new
        {
            id = i,
            vector = new[] { 1f, i / 10f, (i % 3) - 1f },
            payload = new { group = i % 2 == 0 ? "even" : "odd", n = i },
        });
        await _server.Ok(_server.Put($"/collections/{name}/points?wait=true", new { points }));
    }

    [Fact]
    public async Task Create_get_list_exists_and_delete_in_Qdrants_envelope()
    {
        await CreateRaw("c1", 4, "Dot");
        var info = await _server.Ok(_server.Get("/collections/c1"));
        Assert.Equal("ok", info["status"]!.GetValue<string>());
        Assert.True(info["time"]!.GetValue<double>() >= 0);
        Assert.Equal(4, info["result"]!["config"]!["params"]!["vectors"]!["size"]!.GetValue<int>());
        Assert.Equal("Dot", info["result"]!["config"]!["params"]!["vectors"]!["distance"]!.GetValue<string>());
        Assert.Equal(0, info["result"]!["points_count"]!.GetValue<int>());

        var list = await _server.Ok(_server.Get("/collections"));
        Assert.Contains("c1", list["result"]!["collections"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.True((await _server.Ok(_server.Get("/collections/c1/exists")))["result"]!["exists"]!.GetValue<bool>());

        var (status, error) = await _server.Put("/collections/c1", new { vectors = new { size = 4, distance = "Dot" } });
        Assert.Equal(400, status);
        Assert.Contains("already exists", error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.True((await _server.Ok(_server.Send(HttpMethod.Delete, "/collections/c1")))["result"]!.GetValue<bool>());
        Assert.False((await _server.Ok(_server.Get("/collections/c1/exists")))["result"]!["exists"]!.GetValue<bool>());
        Assert.Equal(404, (await _server.Get("/collections/c1")).Status);
    }

    [Fact]
    public async Task Upsert_get_count_and_delete_points_by_id_and_filter()
    {
        await CreateRaw("p");
        await UpsertGrid("p", 10);
        await _server.Ok(_server.Put("/collections/p/points", new { points = new object[] { new { id = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", vector = new[] { 0f, 1f, 0f } } } }));

        var one = await _server.Ok(_server.Get("/collections/p/points/3"));
        Assert.Equal(3, one["result"]!["id"]!.GetValue<int>());
        Assert.Equal("odd", one["result"]!["payload"]!["group"]!.GetValue<string>());
        Assert.Equal(3, one["result"]!["vector"]!.AsArray().Count);
        var uuid = await _server.Ok(_server.Get("/collections/p/points/5C56C793-69F3-4FBF-87E6-C4BF54C28C26"));
        Assert.Equal("5c56c793-69f3-4fbf-87e6-c4bf54c28c26", uuid["result"]!["id"]!.GetValue<string>());

        var many = await _server.Ok(_server.Post("/collections/p/points", new { ids = new[] { 1, 2, 77 }, with_payload = new[] { "n" } }));
        Assert.Equal([1, 2], many["result"]!.AsArray().Select(p => p!["id"]!.GetValue<int>()));
        Assert.Null(many["result"]![0]!["payload"]!["group"]);
        Assert.Null(many["result"]![0]!["vector"]);

        var even = new { must = new[] { new { key = "group", match = new { value = "even" } } } };
        Assert.Equal(5, (await _server.Ok(_server.Post("/collections/p/points/count", new { filter = even })))["result"]!["count"]!.GetValue<int>());
        await _server.Ok(_server.Post("/collections/p/points/delete", new { filter = even }));
        await _server.Ok(_server.Post("/collections/p/points/delete", new { points = new[] { 1 } }));
        Assert.Equal(5, (await _server.Ok(_server.Post("/collections/p/points/count", new { })))["result"]!["count"]!.GetValue<int>());
        Assert.Equal(404, (await _server.Get("/collections/p/points/1")).Status);
    }

    [Fact]
    public async Task Scroll_pages_cover_every_point_once_in_id_order()
    {
        await CreateRaw("s");
        await UpsertGrid("s", 23);
        var seen = new List<int>();
        JsonNode? offset = null;
        do
        {
            var page = await _server.Ok(_server.Post("/collections/s/points/scroll", offset is null ? new { limit = 5 } : (object)new { limit = 5, offset }));
            seen.AddRange(page["result"]!["points"]!.AsArray().Select(p => p!["id"]!.GetValue<int>()));
            offset = page["result"]!["next_page_offset"]?.DeepClone();
        }
        while (offset is not null);

        Assert.Equal(Enumerable.Range(0, 23), seen);

        var filtered = await _server.Ok(_server.Post("/collections/s/points/scroll", new
        {
            limit = 100,
            filter = new { must = new object[] { new { key = "n", range = new { gte = 10, lt = 14 } } } },
            with_vector = true,
        }));
        Assert.Equal([10, 11, 12, 13], filtered["result"]!["points"]!.AsArray().Select(p => p!["id"]!.GetValue<int>()));
        Assert.Equal(3, filtered["result"]!["points"]![0]!["vector"]!.AsArray().Count);
    }

    [Fact]
    public async Task Search_and_query_with_filter_offset_threshold_and_payload()
    {
        await CreateRaw("q", 3, "Euclid");
        await UpsertGrid("q", 20);
        var query = new[] { 1f, 0.5f, 0f };

        var all = await _server.Ok(_server.Post("/collections/q/points/search", new { vector = query, limit = 20 }));
        var scores = all["result"]!.AsArray().Select(h => h!["score"]!.GetValue<float>()).ToList();
        Assert.Equal(scores.Order(), scores);
        Assert.Null(all["result"]![0]!["payload"]);
        var bestId = all["result"]![0]!["id"]!.GetValue<int>();
        Assert.Equal(4, bestId); // [1, 0.4, 0] is 0.1 away

        var offset = await _server.Ok(_server.Post("/collections/q/points/search", new { vector = query, limit = 3, offset = 2, with_payload = true }));
        Assert.Equal(all["result"]!.AsArray().Skip(2).Take(3).Select(h => h!["id"]!.GetValue<int>()), offset["result"]!.AsArray().Select(h => h!["id"]!.GetValue<int>()));
        Assert.NotNull(offset["result"]![0]!["payload"]!["group"]);

        var threshold = await _server.Ok(_server.Post("/collections/q/points/search", new { vector = query, limit = 20, score_threshold = 0.25 }));
        Assert.All(threshold["result"]!.AsArray(), h => Assert.True(h!["score"]!.GetValue<float>() <= 0.25f));
        Assert.Equal(scores.Count(s => s <= 0.25f), threshold["result"]!.AsArray().Count);

        var odd = new { must = new[] { new { key = "group", match = new { any = new[] { "odd" } } } } };
        var filtered = await _server.Ok(_server.Post("/collections/q/points/query", new { query, filter = odd, limit = 4, with_payload = true, with_vector = true }));
        Assert.All(filtered["result"]!["points"]!.AsArray(), h => Assert.Equal("odd", h!["payload"]!["group"]!.GetValue<string>()));
        Assert.Equal(3, filtered["result"]!["points"]![0]!["vector"]!.AsArray().Count);

        var byId = await _server.Ok(_server.Post("/collections/q/points/query", new { query = 5, limit = 2 }));
        Assert.DoesNotContain(5, byId["result"]!["points"]!.AsArray().Select(h => h!["id"]!.GetValue<int>()));
        var nearest = await _server.Ok(_server.Post("/collections/q/points/query", new { query = new { nearest = query }, limit = 1 }));
        Assert.Equal(4, nearest["result"]!["points"]![0]!["id"]!.GetValue<int>());

        var exact = await _server.Ok(_server.Post("/collections/q/points/search", new { vector = query, limit = 20, @params = new { exact = true } }));
        Assert.Equal(scores, exact["result"]!.AsArray().Select(h => h!["score"]!.GetValue<float>()));
    }

    [Fact]
    public async Task Payload_set_overwrite_delete_keys_clear_and_index()
    {
        await CreateRaw("pl");
        await UpsertGrid("pl", 4);
        await _server.Ok(_server.Post("/collections/pl/points/payload", new { payload = new { colour = "red" }, points = new[] { 0, 1 } }));
        var p0 = (await _server.Ok(_server.Get("/collections/pl/points/0")))["result"]!["payload"]!;
        Assert.Equal("red", p0["colour"]!.GetValue<string>());
        Assert.Equal("even", p0["group"]!.GetValue<string>());

        await _server.Ok(_server.Put("/collections/pl/points/payload", new { payload = new { only = 1 }, points = new[] { 1 } }));
        var p1 = (await _server.Ok(_server.Get("/collections/pl/points/1")))["result"]!["payload"]!.AsObject();
        Assert.Equal(["only"], p1.Select(kv => kv.Key));

        await _server.Ok(_server.Post("/collections/pl/points/payload/delete", new { keys = new[] { "n" }, filter = new { must = new[] { new { key = "group", match = new { value = "even" } } } } }));
        Assert.Null((await _server.Ok(_server.Get("/collections/pl/points/2")))["result"]!["payload"]!["n"]);
        Assert.NotNull((await _server.Ok(_server.Get("/collections/pl/points/3")))["result"]!["payload"]!["n"]);

        await _server.Ok(_server.Post("/collections/pl/points/payload/clear", new { points = new[] { 3 } }));
        Assert.Empty((await _server.Ok(_server.Get("/collections/pl/points/3")))["result"]!["payload"]!.AsObject());

        await _server.Ok(_server.Put("/collections/pl/index", new { field_name = "colour", field_schema = "keyword" }));
        var info = await _server.Ok(_server.Get("/collections/pl"));
        Assert.Equal("keyword", info["result"]!["payload_schema"]!["colour"]!["data_type"]!.GetValue<string>());
        var red = await _server.Ok(_server.Post("/collections/pl/points/count", new { filter = new { must = new[] { new { key = "colour", match = new { value = "red" } } } } }));
        Assert.Equal(1, red["result"]!["count"]!.GetValue<int>());

        // The search index sees payload edits too.
        var hits = await _server.Ok(_server.Post("/collections/pl/points/search", new { vector = new[] { 1f, 0f, -1f }, limit = 4, filter = new { must = new[] { new { key = "colour", match = new { value = "red" } } } } }));
        Assert.Equal([0], hits["result"]!.AsArray().Select(h => h!["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Text_points_and_text_queries_use_the_collections_model()
    {
        await _server.Ok(_server.Put("/collections/docs", new { model = "bert" }));
        await _server.Ok(_server.Put("/collections/docs/points", new
        {
            points = new object[]
            {
                new { id = 1, text = "the whale swims in the sea", payload = new { kind = "sea" } },
                new { id = 2, vector = new { text = "the frog jumps in the pond" }, payload = new { kind = "pond" } },
                new { id = 3, text = "the dog barks", payload = new { kind = "land" } },
            },
        }));

        var hits = await _server.Ok(_server.Post("/collections/docs/points/query", new { query = new { text = "the frog jumps in the pond" }, limit = 3, with_payload = true }));
        var first = hits["result"]!["points"]![0]!;
        Assert.Equal(2, first["id"]!.GetValue<int>());
        Assert.Equal(1.0, first["score"]!.GetValue<double>(), 4);
        Assert.Equal("the frog jumps in the pond", first["text"]!.GetValue<string>());

        var search = await _server.Ok(_server.Post("/collections/docs/points/search", new { text = "the whale swims in the sea", limit = 1 }));
        Assert.Equal(1, search["result"]![0]!["id"]!.GetValue<int>());

        var batch = await _server.Ok(_server.Put("/collections/docs/points", new { batch = new { ids = new[] { 4, 5 }, texts = new[] { "a cat sat", "a ship sails" } } }));
        Assert.Equal("completed", batch["result"]!["status"]!.GetValue<string>());
        Assert.Equal(5, (await _server.Ok(_server.Post("/collections/docs/points/count", new { })))["result"]!["count"]!.GetValue<int>());

        await CreateRaw("rawonly");
        var (status, error) = await _server.Put("/collections/rawonly/points", new { points = new[] { new { id = 1, text = "hello" } } });
        Assert.Equal(400, status);
        Assert.Contains("raw vectors", error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"vectors\": {\"size\": 3, \"distance\": \"Manhattan\"}}", "Manhattan")]
    [InlineData("{\"vectors\": {\"size\": 0, \"distance\": \"Cosine\"}}", "vectors.size")]
    [InlineData("{\"vectors\": {\"text\": {\"size\": 3, \"distance\": \"Cosine\"}}}", "named vectors")]
    [InlineData("{\"vectors\": {\"size\": 3}}", "vectors.distance")]
    [InlineData("{\"model\": \"bert\", \"vectors\": {\"size\": 7, \"distance\": \"Cosine\"}}", "vectors.size")]
    [InlineData("{}", "vectors")]
    public async Task Bad_collection_definitions_are_400_and_create_nothing(string json, string expected)
    {
        var (status, error) = await _server.Put("/collections/bad", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False((await _server.Ok(_server.Get("/collections/bad/exists")))["result"]!["exists"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("{\"vectors\": {\"distance\": \"Cosine\"}}", "vectors.size: is required")]
    [InlineData("{\"vectors\": {\"size\": 99999999999, \"distance\": \"Cosine\"}}", "vectors.size: must be from 1 to 65536; it is 99999999999.")]
    [InlineData("{\"vectors\": {\"size\": 3, \"distance\": \"Dot\"}, \"hnsw_config\": {\"m\": 1}}", "hnsw_config.m: must be from 2 to 128; it is 1.")]
    [InlineData("{\"vectors\": {\"size\": 3, \"distance\": \"Dot\"}, \"hnsw_config\": {\"ef_construct\": 5000}}", "hnsw_config.ef_construct: must be from 4 to 4096; it is 5000.")]
    [InlineData("{\"vectors\": {\"size\": 3, \"distance\": \"Dot\"}, \"hnsw_config\": {\"m\": \"8\"}}", "hnsw_config.m: must be a whole number, not a string.")]
    [InlineData("{\"model\": 7}", "model: must be a string, not a number.")]
    public async Task A_bad_collection_definition_is_a_400_naming_the_field_and_creates_nothing(string json, string expected)
    {
        var (status, error) = await _server.Put("/collections/bad", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False((await _server.Ok(_server.Get("/collections/bad/exists")))["result"]!["exists"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Vectors_given_with_a_model_must_agree_with_its_space()
    {
        await _server.Ok(_server.Put("/collections/tx", new { model = "bert" }));
        var vectors = (await _server.Ok(_server.Get("/collections/tx")))["result"]!["config"]!["params"]!["vectors"]!;
        var size = vectors["size"]!.GetValue<int>();
        var other = vectors["distance"]!.GetValue<string>() == "Dot" ? "Cosine" : "Dot";

        await _server.Ok(_server.Put("/collections/tx2", new { model = "bert", vectors = new { size, distance = vectors["distance"]!.GetValue<string>() } }));
        var (status, error) = await _server.Put("/collections/bad", new { model = "bert", vectors = new { size, distance = other } });

        Assert.Equal(400, status);
        Assert.StartsWith("vectors.distance: the model 'bert' is compared by", error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False((await _server.Ok(_server.Get("/collections/bad/exists")))["result"]!["exists"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("{\"field_schema\": \"keyword\"}", "field_name: is required")]
    [InlineData("{\"field_name\": \"\", \"field_schema\": \"keyword\"}", "field_name: is required")]
    [InlineData("{\"field_name\": 5, \"field_schema\": \"keyword\"}", "field_name: must be a string, not a number.")]
    [InlineData("{\"field_name\": \"n\"}", "field_schema: is required")]
    [InlineData("{\"field_name\": \"n\", \"field_schema\": {\"lookup\": true}}", "field_schema: is required")]
    [InlineData("{\"field_name\": \"n\", \"field_schema\": \"geo\"}", "field_schema: 'geo' payload indexes are not supported")]
    [InlineData("{\"field_name\": \"n\", \"field_schema\": {\"type\": \"text\"}}", "field_schema: 'text' payload indexes are not supported")]
    [InlineData("{\"field_name\": \"n\", \"field_schema\": {\"type\": 1}}", "field_schema.type: must be a string, not a number.")]
    [InlineData("{\"field_name\": \"n\", \"field_schema\": 1}", "field_schema: must be a string, not a number.")]
    public async Task A_bad_payload_index_request_is_a_400_naming_the_field_and_indexes_nothing(string json, string expected)
    {
        await CreateRaw("ix");

        var (status, error) = await _server.Put("/collections/ix/index", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await _server.Ok(_server.Get("/collections/ix")))["result"]!["payload_schema"]!.AsObject());
    }

    [Fact]
    public async Task A_payload_index_takes_bool_and_uuid_as_keyword_in_the_object_form()
    {
        await CreateRaw("ix2");
        await _server.Ok(_server.Put("/collections/ix2/index", new { field_name = "seen", field_schema = new { type = "bool", is_tenant = false } }));
        await _server.Ok(_server.Put("/collections/ix2/index", new { field_name = "n", field_schema = new { type = "float" } }));

        var schema = (await _server.Ok(_server.Get("/collections/ix2")))["result"]!["payload_schema"]!;
        Assert.Equal("keyword", schema["seen"]!["data_type"]!.GetValue<string>());
        Assert.Equal("float", schema["n"]!["data_type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"points\": [{\"id\": 1, \"vector\": [1, 2]}]}", "dimensions")]
    [InlineData("{\"points\": [{\"id\": -1, \"vector\": [1, 2, 3]}]}", "point id")]
    [InlineData("{\"points\": [{\"id\": \"not-a-uuid\", \"vector\": [1, 2, 3]}]}", "point id")]
    [InlineData("{\"points\": [{\"id\": 1, \"vector\": [1, \"2\", 3]}]}", "points[0].vector[1]")]
    [InlineData("{\"points\": [{\"id\": 1, \"vector\": [1, 1e999, 3]}]}", "finite")]
    [InlineData("{\"points\": [{\"id\": 1, \"vector\": [0, 0, 0]}]}", "zero")]
    [InlineData("{\"points\": [{\"id\": 1, \"vector\": [1, 2, 3]}, {\"id\": 1, \"vector\": [1, 2, 3]}]}", "twice")]
    [InlineData("{\"points\": [{\"id\": 9, \"vector\": [1, 2, 3]}, {\"id\": 8}]}", "points[1]")]
    [InlineData("{\"points\": [{\"id\": 9, \"vector\": [1, 2, 3], \"payload\": [1]}]}", "points[0].payload")]
    [InlineData("{\"batch\": {\"ids\": [1, 2], \"vectors\": [[1, 2, 3]]}}", "batch.vectors")]
    public async Task A_bad_upsert_is_400_and_stores_nothing(string json, string expected)
    {
        await CreateRaw("u");
        await UpsertGrid("u", 3);

        var (status, error) = await _server.Put("/collections/u/points", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, (await _server.Ok(_server.Post("/collections/u/points/count", new { })))["result"]!["count"]!.GetValue<int>());
        Assert.Equal(404, (await _server.Get("/collections/u/points/9")).Status);
    }

    [Fact]
    public async Task Unknown_collections_are_404_and_bad_names_400()
    {
        var (status, error) = await _server.Post("/collections/nope/points/search", new { vector = new[] { 1f } });
        Assert.Equal(404, status);
        Assert.Contains("nope", error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await _server.Put("/collections/..%2F..%2Fetc/points", new { points = Array.Empty<object>() });
        Assert.Equal(400, status);
        (status, _) = await _server.Put("/collections/.hidden", new { vectors = new { size = 3, distance = "Cosine" } });
        Assert.Equal(400, status);
    }
}
