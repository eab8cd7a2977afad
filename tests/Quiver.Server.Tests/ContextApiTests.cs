namespace Quiver.Server.Tests;

/// <summary>POST /collections/{name}/context: passages with citations within a token budget, over the keyword index too.</summary>
public sealed class ContextApiTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Context_answers_cited_passages_within_the_budget()
    {
        await _server.Ok(_server.Put("/collections/docs", new { model = "bert" }));
        await _server.Ok(_server.Put("/collections/docs/points", new
        {
            points = new object[]
            {
                new { id = 1, text = "the whale swims in the sea", payload = new { path = "sea.md", heading = "Whales", start = 0, end = 26 } },
                new { id = 2, text = "the frog jumps in the pond", payload = new { path = "pond.md", page = 2 } },
                new { id = 3, text = "the dog barks on the mat", payload = new { path = "home.md" } },
            },
        }));

        // The test model's weights are random, so the ranking is checked on keywords; hybrid must answer within budget too.
        var hybrid = await _server.Ok(_server.Post("/collections/docs/context", new { question = "whale sea", budget_tokens = 30, mode = "hybrid" }));
        Assert.NotEmpty(hybrid["result"]!["passages"]!.AsArray());
        Assert.True(hybrid["result"]!["used_tokens"]!.GetValue<int>() <= 30);
        var body = await _server.Ok(_server.Post("/collections/docs/context", new { question = "whale sea", budget_tokens = 30, mode = "keyword" }));

        var result = body["result"]!;
        var passages = result["passages"]!.AsArray();
        Assert.NotEmpty(passages);
        Assert.Equal("sea.md", passages[0]!["path"]!.GetValue<string>());
        Assert.Equal("[1] sea.md, \"Whales\", chars 0-26", passages[0]!["citation"]!.GetValue<string>());
        Assert.True(result["used_tokens"]!.GetValue<int>() <= 30);
        Assert.StartsWith("[1] sea.md", result["prompt"]!.GetValue<string>(), StringComparison.Ordinal);

        var (status, error) = await _server.Post("/collections/docs/context", new { question = "" });
        Assert.Equal(400, status);
        Assert.Contains("question", error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_keyword_index_follows_payload_edits_and_deletes_made_through_the_API()
    {
        await _server.Ok(_server.Put("/collections/kw", new { vectors = new { size = 2, distance = "Cosine" } }));
        await _server.Ok(_server.Put("/collections/kw/points", new
        {
            points = new object[]
            {
                new { id = 1, vector = new[] { 1f, 0f }, text = "harpoon and whale", payload = new { group = "a" } },
                new { id = 2, vector = new[] { 0f, 1f }, text = "bread and butter", payload = new { group = "b" } },
            },
        }));
        await _server.Ok(_server.Post("/collections/kw/points/payload", new { payload = new { edited = true }, points = new[] { 1 } }));

        var found = await _server.Ok(_server.Post("/collections/kw/context", new { question = "harpoon", mode = "keyword" }));
        Assert.Equal([1], found["result"]!["passages"]!.AsArray().Select(p => p!["id"]!.GetValue<int>()));

        await _server.Ok(_server.Post("/collections/kw/points/delete", new { filter = new { must = new[] { new { key = "group", match = new { value = "a" } } } } }));
        var gone = await _server.Ok(_server.Post("/collections/kw/context", new { question = "harpoon", mode = "keyword" }));
        Assert.Empty(gone["result"]!["passages"]!.AsArray());
        var bread = await _server.Ok(_server.Post("/collections/kw/context", new { question = "butter" }));
        Assert.Equal([2], bread["result"]!["passages"]!.AsArray().Select(p => p!["id"]!.GetValue<int>()));
    }
}
