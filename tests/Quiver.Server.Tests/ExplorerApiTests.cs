using System.Text.Json.Nodes;

namespace Quiver.Server.Tests;

/// <summary>
/// The routes the explorer page reads: collection overview, models, text search, clusters with topic keywords and
/// outlier scores (over the projection's seeded sample), and the page's own files.
/// </summary>
public sealed class ExplorerApiTests : IAsyncLifetime
{
    private static readonly string[] BlobTexts = ["whale ship sea sails", "frog pond jumps", "cat mat sat dog barks"];
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture();
        await _server.Ok(_server.Put("/collections/blobs", new { vectors = new { size = 8, distance = "Euclid" } }));

        // Three well-separated blobs of 20 points in 8-D; each blob's texts share its words.
        var random = new Random(3);
        var points = Enumerable.Range(0, 60).Select(i => new
        {
            id = i + 1,
            vector = Enumerable.Range(0, 8).Select(d => (d == i % 3 ? 10f : 0f) + (float)random.NextDouble()).ToArray(),
            payload = new { blob = i % 3, text = BlobTexts[i % 3] },
        }).ToArray();
        await _server.Ok(_server.Put("/collections/blobs/points?wait=true", new { points }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonNode> Result(string path, object body) => (await _server.Ok(_server.Post(path, body)))["result"]!;

    [Fact]
    public async Task Clusters_find_the_blobs_and_name_each_by_its_own_words()
    {
        var result = await Result("/collections/blobs/clusters", new { k = 3, keywords = 3 });

        Assert.Equal(60, result["total"]!.GetValue<long>());
        var clusterOf = result["points"]!.AsArray().ToDictionary(p => p!["id"]!.GetValue<int>(), p => p!["cluster"]!.GetValue<int>());
        Assert.Equal(60, clusterOf.Count);
        for (var blob = 0; blob < 3; blob++)
        {
            Assert.Single(clusterOf.Where(c => (c.Key - 1) % 3 == blob).Select(c => c.Value).Distinct());
        }

        foreach (var cluster in result["clusters"]!.AsArray())
        {
            Assert.Equal(20, cluster!["size"]!.GetValue<int>());
            var representative = cluster["representatives"]![0]!.GetValue<int>();
            Assert.Equal(cluster["cluster"]!.GetValue<int>(), clusterOf[representative]);
            var words = BlobTexts[(representative - 1) % 3].Split(' ');
            Assert.All(cluster["keywords"]!.AsArray(), k => Assert.Contains(k!["word"]!.GetValue<string>(), words));
        }

        var (status, body) = await _server.Post("/collections/blobs/clusters", new { k = 61 });
        Assert.Equal(400, status);
        Assert.Contains("give a k of at most 60", body!.ToJsonString());
    }

    [Fact]
    public async Task Clusters_and_outliers_of_a_sample_score_the_points_the_projection_maps()
    {
        var map = await Result("/collections/blobs/projection", new { method = "pca", limit = 25, seed = 9 });
        var clusters = await Result("/collections/blobs/clusters", new { k = 2, limit = 25, seed = 9 });
        var outliers = await Result("/collections/blobs/outliers", new { limit = 25, seed = 9, k = 5 });

        static string[] Ids(JsonNode result) => [.. result["points"]!.AsArray().Select(p => p!["id"]!.ToJsonString())];
        Assert.True(clusters["sampled"]!.GetValue<bool>());
        Assert.Equal(25, Ids(map).Length);
        Assert.Equal(Ids(map), Ids(clusters));
        Assert.Equal(Ids(map), Ids(outliers));
    }

    [Fact]
    public async Task The_point_far_from_every_blob_is_the_top_outlier()
    {
        await _server.Ok(_server.Put("/collections/blobs/points?wait=true", new { points = new[] { new { id = 99, vector = Enumerable.Repeat(-30f, 8).ToArray(), payload = new { blob = -1, text = "far away" } } } }));
        var result = await Result("/collections/blobs/outliers", new { k = 5, top = 3 });

        Assert.Equal(61, result["points"]!.AsArray().Count);
        Assert.Equal(99, result["top"]![0]!["id"]!.GetValue<int>());
        Assert.Equal("far away", result["top"]![0]!["payload"]!["text"]!.GetValue<string>());
        Assert.True(result["top"]![0]!["score"]!.GetValue<double>() > 2 * result["median"]!.GetValue<double>());

        var (status, body) = await _server.Post("/collections/blobs/outliers", new { method = "isolation_forest" });
        Assert.Equal(400, status);
        Assert.Contains("use lof or knn_distance", body!.ToJsonString());
    }

    [Fact]
    public async Task Overview_shows_points_space_index_memory_and_payload_fields_and_models_list_their_collections()
    {
        var overview = (await _server.Ok(_server.Get("/collections/blobs/overview")))["result"]!;
        Assert.Equal(60, overview["points"]!.GetValue<long>());
        Assert.Null(overview["model"]);
        Assert.Equal("Euclid", overview["space"]!["distance"]!.GetValue<string>());
        Assert.Equal(60, overview["index"]!["live_points"]!.GetValue<int>());
        Assert.True(overview["index"]!["bytes_per_vector"]!.GetValue<double>() >= 8 * sizeof(float));
        Assert.Equal(["blob", "text"], overview["payload_fields"]!.AsArray().Select(f => f!.GetValue<string>()));

        await _server.Ok(_server.Put("/collections/notes", new { model = "bert" }));
        var models = (await _server.Ok(_server.Get("/models")))["result"]!["models"]!.AsArray();
        var bert = models.Single(m => m!["name"]!.GetValue<string>() == "bert")!;
        Assert.Equal(["notes"], bert["collections"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(bert["default"]!.GetValue<bool>());
        Assert.Contains(models, m => m!["name"]!.GetValue<string>() == "words");
    }

    [Fact]
    public async Task Text_search_runs_keyword_dense_and_hybrid_with_a_filter()
    {
        await _server.Ok(_server.Put("/collections/notes", new { model = "bert" }));
        string[] texts = ["the whale swims in the sea", "a frog jumps in the pond", "the cat sat on the mat", "the ship sails on the sea"];
        await _server.Ok(_server.Put("/collections/notes/points?wait=true", new { points = texts.Select((t, i) => new { id = i + 1, text = t, payload = new { n = i + 1 } }).ToArray() }));

        var keyword = (await Result("/collections/notes/points/search/text", new { text = "frog", mode = "keyword" })).AsArray();
        Assert.Equal(2, Assert.Single(keyword)!["id"]!.GetValue<int>());
        Assert.Equal(texts[1], keyword[0]!["text"]!.GetValue<string>());

        var filtered = (await Result("/collections/notes/points/search/text", new { text = "sea", filter = new { must = new[] { new { key = "n", match = new { value = 4 } } } } })).AsArray();
        Assert.Equal(4, Assert.Single(filtered)!["id"]!.GetValue<int>());

        var dense = (await Result("/collections/notes/points/search/text", new { text = "the whale swims in the sea", mode = "dense", limit = 2 })).AsArray();
        Assert.Equal(1, dense[0]!["id"]!.GetValue<int>());

        var (status, body) = await _server.Post("/collections/blobs/points/search/text", new { text = "whale", mode = "dense" });
        Assert.Equal(400, status);
        Assert.Contains("raw vectors", body!.ToJsonString());
    }

    [Fact]
    public async Task Inspect_opens_a_point_by_the_file_chunk_id_quiver_index_gives_it_and_lists_its_neighbours()
    {
        // What quiver index stores: string ids that Qdrant's routes cannot address.
        using (var files = Store.Collections.CollectionStore.FromPaths(_server.Paths).Create("files", new Store.Collections.CollectionOptions(Core.Spaces.EmbeddingSpace.Raw(3, Core.Distances.DistanceMetric.Cosine))))
        {
            files.Upsert(
            [
                new Store.Collections.Point("notes.md#0", [1, 0, 0], new JsonObject { ["path"] = "notes.md" }, "first chunk"),
                new Store.Collections.Point("notes.md#1", [0.9f, 0.1f, 0], new JsonObject { ["path"] = "notes.md" }, "second chunk"),
                new Store.Collections.Point("other.md#0", [0, 0, 1], new JsonObject { ["path"] = "other.md" }, "elsewhere"),
            ]);
        }

        var point = await Result("/collections/files/points/inspect", new { id = "notes.md#0", limit = 2 });
        Assert.Equal("notes.md#0", point["id"]!.GetValue<string>());
        Assert.Equal("first chunk", point["text"]!.GetValue<string>());
        Assert.Equal(["notes.md#1", "other.md#0"], point["neighbours"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));

        var numbered = await Result("/collections/blobs/points/inspect", new { id = 1, limit = 0 });
        Assert.Empty(numbered["neighbours"]!.AsArray());
        Assert.Equal(0, numbered["payload"]!["blob"]!.GetValue<int>());

        var (status, body) = await _server.Post("/collections/files/points/inspect", new { id = "missing.md#0" });
        Assert.Equal(404, status);
        Assert.Contains("missing.md#0", body!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"limit": 2}""", "id: is required")]
    [InlineData("""{"id": null}""", "id: is required")]
    [InlineData("""{"id": -4}""", "id: Unable to parse point id -4")]
    [InlineData("""{"id": ""}""", "id: is \"\"; give a number, a UUID or a stored id string")]
    [InlineData("""{"id": [1]}""", "id: is [1]; give a number, a UUID or a stored id string")]
    [InlineData("""{"id": 1, "limit": -1}""", "limit: must be from 0 to ")]
    [InlineData("""{"id": 1, "limit": "2"}""", "limit: must be a whole number, not a string.")]
    public async Task A_bad_inspect_request_is_a_400_naming_the_field(string json, string expected)
    {
        var (status, body) = await _server.Send(HttpMethod.Post, "/collections/blobs/points/inspect", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_opens_a_point_by_any_form_of_its_uuid_and_quotes_a_missing_id_as_given()
    {
        await _server.Ok(_server.Put("/collections/blobs/points?wait=true", new { points = new[] { new { id = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", vector = new float[8] { 1, 2, 3, 4, 5, 6, 7, 8 } } } }));

        var point = await Result("/collections/blobs/points/inspect", new { id = "5C56C79369F34FBF87E6C4BF54C28C26", limit = 1 });
        Assert.Equal("5c56c793-69f3-4fbf-87e6-c4bf54c28c26", point["id"]!.GetValue<string>());
        Assert.Single(point["neighbours"]!.AsArray());

        var (status, body) = await _server.Post("/collections/blobs/points/inspect", new { id = 404 });
        Assert.Equal(404, status);
        Assert.Equal("id: Not found: No point with id 404 found in collection `blobs`.", body!["status"]!["error"]!.GetValue<string>());
    }
}
