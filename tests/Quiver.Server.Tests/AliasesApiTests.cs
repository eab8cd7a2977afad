using System.Text.Json.Nodes;

namespace Quiver.Server.Tests;

/// <summary>Qdrant's alias routes: atomic changes, Qdrant's errors, and an alias usable on every collection route.</summary>
public sealed class AliasesApiTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task Create(string name, int points)
    {
        await _server.Ok(_server.Put($"/collections/{name}", new { vectors = new { size = 3, distance = "Cosine" } }));
        var batch = Enumerable.Range(0, points).Select(i => new { id = i, vector = new[] { 1f, i, 0.5f }, payload = new { source = name, n = i } });
        await _server.Ok(_server.Put($"/collections/{name}/points?wait=true", new { points = batch }));
    }

    private Task<(int Status, JsonNode? Body)> Change(string actions) => _server.Post("/collections/aliases", $$"""{"actions": {{actions}}}""");

    private async Task<List<(string Alias, string Collection)>> Aliases(string path = "/aliases") =>
        [.. (await _server.Ok(_server.Get(path)))["result"]!["aliases"]!.AsArray().Select(a => (a!["alias_name"]!.GetValue<string>(), a["collection_name"]!.GetValue<string>()))];

    [Fact]
    public async Task An_alias_works_on_every_route_and_a_switch_is_one_request()
    {
        await Create("v1", 3);
        await Create("v2", 5);
        Assert.True((await _server.Ok(Change("""[{"create_alias": {"collection_name": "v1", "alias_name": "prod"}}]""")))["result"]!.GetValue<bool>());
        Assert.Equal([("prod", "v1")], await Aliases());
        Assert.Equal([("prod", "v1")], await Aliases("/collections/v1/aliases"));
        Assert.Equal([("prod", "v1")], await Aliases("/collections/prod/aliases"));
        Assert.Empty(await Aliases("/collections/v2/aliases"));

        Assert.Equal(3, (await _server.Ok(_server.Get("/collections/prod")))["result"]!["points_count"]!.GetValue<int>());
        Assert.True((await _server.Ok(_server.Get("/collections/prod/exists")))["result"]!["exists"]!.GetValue<bool>());
        var hit = (await _server.Ok(_server.Post("/collections/prod/points/search", new { vector = new[] { 1f, 2f, 0.5f }, limit = 1, with_payload = true })))["result"]![0]!;
        Assert.Equal("v1", hit["payload"]!["source"]!.GetValue<string>());
        await _server.Ok(_server.Put("/collections/prod/points?wait=true", new { points = new[] { new { id = 100, vector = new[] { 0f, 1f, 0f } } } }));
        Assert.Equal(4, (await _server.Ok(_server.Post("/collections/v1/points/count", new { exact = true })))["result"]!["count"]!.GetValue<int>());

        await _server.Ok(Change("""[{"delete_alias": {"alias_name": "prod"}}, {"create_alias": {"collection_name": "v2", "alias_name": "prod"}}]"""));
        Assert.Equal(5, (await _server.Ok(_server.Post("/collections/prod/points/count", new { exact = true })))["result"]!["count"]!.GetValue<int>());

        await _server.Ok(Change("""[{"rename_alias": {"old_alias_name": "prod", "new_alias_name": "live"}}]"""));
        Assert.Equal([("live", "v2")], await Aliases());
        Assert.Equal(404, (await _server.Get("/collections/prod")).Status);

        // Deleting the collection drops its aliases.
        await _server.Ok(_server.Send(HttpMethod.Delete, "/collections/v2"));
        Assert.Empty(await Aliases());
        Assert.Equal(404, (await _server.Get("/collections/live")).Status);
    }

    [Fact]
    public async Task Errors_are_Qdrants_and_a_failed_change_changes_nothing()
    {
        await Create("v1", 1);
        await _server.Ok(Change("""[{"create_alias": {"collection_name": "v1", "alias_name": "keep"}}]"""));

        var (status, body) = await Change("""[{"delete_alias": {"alias_name": "keep"}}, {"create_alias": {"collection_name": "nope", "alias_name": "a"}}]""");
        Assert.Equal(404, status);
        Assert.Equal("Not found: Collection `nope` doesn't exist!", body!["status"]!["error"]!.GetValue<string>());

        (status, body) = await Change("""[{"create_alias": {"collection_name": "v1", "alias_name": "v1"}}]""");
        Assert.Equal(400, status);
        Assert.Contains("Collection `v1` already exists!", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await Change("""[{"rename_alias": {"old_alias_name": "ghost", "new_alias_name": "b"}}]""");
        Assert.Equal(404, status);
        Assert.StartsWith("Not found: Alias ghost does not exists!", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await _server.Put("/collections/keep", new { vectors = new { size = 3, distance = "Cosine" } });
        Assert.Equal(400, status);
        Assert.Contains("Alias with the same name already exists", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var bad in new[] { """{"actions": [{"make_alias": {}}]}""", """{"actions": [{"create_alias": {"alias_name": "x"}}]}""", """{"actions": {}}""", """{"actions": [{"create_alias": {"collection_name": "v1", "alias_name": "../x"}}]}""" })
        {
            Assert.Equal(400, (await _server.Post("/collections/aliases", bad)).Status);
        }

        Assert.Equal([("keep", "v1")], await Aliases());
        Assert.Equal(404, (await _server.Get("/collections/nope/aliases")).Status);
    }
}
