using System.Text.Json.Nodes;
using Quiver.Core.Spaces;
using Quiver.Catalogue;

namespace Quiver.Server.Tests;

/// <summary>
/// POST /collections/{name}/reembed moves a collection from word vectors to a transformer in the background while a
/// client keeps searching it by text (always answered from one space: its own text scores 1) and writing to it; GET
/// follows the job to its end, after which every point, those written meanwhile included, is in the new space.
/// </summary>
public sealed class ReembedApiTests : IAsyncLifetime
{
    private const int Points = 120;
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string TextOf(int i)
    {
        string[] words = ["whale", "ship", "sea", "swims", "sails", "frog", "pond", "jumps", "cat", "mat", "sat", "dog", "barks"];
        return $"the {words[i % 13]} {words[(i / 13) % 13]} on a {words[(i * 7 / 3) % 13]} {(i % 2 == 0 ? "in" : "of")} the {words[(i * 5) % 13]}.";
    }

    [Fact]
    public async Task A_collection_is_searched_and_written_throughout_and_ends_in_the_new_space()
    {
        await _server.Ok(_server.Put("/collections/notes", new { model = "words" }));
        await _server.Ok(_server.Put("/collections/notes/points?wait=true", new
        {
            points = Enumerable.Range(0, Points).Select(i => new { id = i, text = TextOf(i), payload = new { n = i } }).ToArray(),
        }));

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            var random = new Random(3);
            while (!stop.IsCancellationRequested)
            {
                var i = random.Next(Points);
                var (status, body) = await _server.Post("/collections/notes/points/search", new { text = TextOf(i), limit = 1 });
                var score = status == 200 ? body!["result"]![0]!["score"]!.GetValue<double>() : double.NaN;
                if (status != 200 || Math.Abs(score - 1) > 1e-4)
                {
                    failures.Add($"search {i}: {status} {body?.ToJsonString()}");
                }

                reads++;
            }
        });

        var started = await _server.Ok(_server.Post("/collections/notes/reembed", new { model = "bert", batch_size = 8 }));
        Assert.Equal("running", started["result"]!["status"]!.GetValue<string>());

        // Writes while it runs: text points, embedded by whichever model the collection has when they arrive.
        for (var j = 0; j < 10; j++)
        {
            await _server.Ok(_server.Put("/collections/notes/points?wait=true", new { points = new[] { new { id = 1000 + j, text = $"a dog barks at the ship {j}." } } }));
        }

        JsonNode status = started;
        for (var wait = 0; wait < 600 && status["result"]!["status"]!.GetValue<string>() == "running"; wait++)
        {
            await Task.Delay(100);
            status = await _server.Ok(_server.Get("/collections/notes/reembed"));
        }

        await Task.Delay(200);
        await stop.CancelAsync();
        await reader;

        var result = status["result"]!;
        Assert.True(result["status"]!.GetValue<string>() == "done", result.ToJsonString());
        Assert.Equal("done", result["phase"]!.GetValue<string>());
        Assert.Equal(Points + 10, result["result"]!["points"]!.GetValue<long>());
        Assert.Empty(failures);
        Assert.True(reads > 0);

        var info = (await _server.Ok(_server.Get("/collections/notes")))["result"]!;
        Assert.StartsWith("bert/", info["quiver"]!["model"]!.GetValue<string>());
        Assert.Equal(Points + 10, info["points_count"]!.GetValue<long>());

        // Stored vectors are the transformer's document vectors of the texts, the writes' included.
        using var bert = InstalledModels.OpenTextGenerator(_server.Paths, "bert", role: TextRole.Document);
        var stored = (await _server.Ok(_server.Post("/collections/notes/points", new { ids = new[] { 5, 1003 }, with_vector = true })))["result"]!.AsArray();
        foreach (var point in stored)
        {
            var text = point!["text"]!.GetValue<string>();
            var expected = (await bert.GenerateAsync([text]))[0].Vector.ToArray();
            var vector = point["vector"]!.AsArray().Select(x => x!.GetValue<float>()).ToArray();
            Assert.Equal(expected.Length, vector.Length);
            Assert.All(expected.Zip(vector), p => Assert.Equal(p.First, p.Second, 1e-5f));
        }

        // Text queries now go through the new model; the same model again is refused.
        var again = await _server.Post("/collections/notes/reembed", new { model = "bert" });
        Assert.Equal(400, again.Status);
        Assert.Contains("already holds vectors from", again.Body!.ToJsonString());
    }

    [Fact]
    public async Task Re_embedding_embeds_through_the_servers_batcher()
    {
        // No cache, so every text of the job is an input of a model call the batcher makes and counts.
        await using var server = new ServerFixture(o => o with { Limits = o.Limits with { EmbeddingCacheEntries = 0 } });
        await server.Ok(server.Put("/collections/few", new { model = "words" }));
        await server.Ok(server.Put("/collections/few/points?wait=true", new { points = Enumerable.Range(0, 20).Select(i => new { id = i, text = TextOf(i) }).ToArray() }));

        JsonNode status = await server.Ok(server.Post("/collections/few/reembed", new { model = "bert", batch_size = 8 }));
        for (var wait = 0; wait < 600 && status["result"]!["status"]!.GetValue<string>() == "running"; wait++)
        {
            await Task.Delay(100);
            status = await server.Ok(server.Get("/collections/few/reembed"));
        }

        Assert.True(status["result"]!["status"]!.GetValue<string>() == "done", status.ToJsonString());

        // /metrics first, before anything looks the collection up again: its points gauge reads the new version (it
        // answered 503 here when it still counted the retired one).
        using var response = await server.Client.GetAsync("/metrics");
        var metrics = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, metrics);
        Assert.Contains("quiver_embedding_inputs_total{model=\"bert\"} 20", metrics, StringComparison.Ordinal);
        Assert.Contains("quiver_collection_points{collection=\"few\"} 20", metrics, StringComparison.Ordinal);
        var info = (await server.Ok(server.Get("/collections/few")))["result"]!;
        Assert.StartsWith("bert/", info["quiver"]!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_requests_are_refused_before_any_work()
    {
        await _server.Ok(_server.Put("/collections/raw", new { vectors = new { size = 4, distance = "Cosine" } }));
        await _server.Ok(_server.Put("/collections/raw/points?wait=true", new { points = new[] { new { id = 1, vector = new[] { 1f, 0, 0, 0 } } } }));

        var textless = await _server.Post("/collections/raw/reembed", new { model = "bert" });
        Assert.Equal(400, textless.Status);
        Assert.Contains("1 point(s) without text", textless.Body!.ToJsonString());
        Assert.Contains("drop_textless", textless.Body!.ToJsonString(), StringComparison.Ordinal);

        var noModel = await _server.Post("/collections/raw/reembed", new { });
        Assert.Equal(400, noModel.Status);
        Assert.Contains("raw vectors", noModel.Body!.ToJsonString());

        var unknown = await _server.Post("/collections/raw/reembed", new { model = "nope" });
        Assert.Equal(404, unknown.Status);

        var missing = await _server.Post("/collections/absent/reembed", new { model = "bert" });
        Assert.Equal(404, missing.Status);

        var none = await _server.Ok(_server.Get("/collections/raw/reembed"));
        Assert.Equal("none", none["result"]!["status"]!.GetValue<string>());

        var dropped = await _server.Ok(_server.Post("/collections/raw/reembed", new { model = "bert", into = "raw-bert", drop_textless = true }));
        Assert.Equal("raw-bert", dropped["result"]!["collection"]!.GetValue<string>());
    }
}
