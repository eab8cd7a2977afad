using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Quiver.Server.Collections;

namespace Quiver.Server.Tests;

/// <summary>A write that races a collection delete gets a 404 in Qdrant's style, not a 500 with a stack trace.</summary>
public sealed class CollectionRaceTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_write_to_a_collection_deleted_under_it_is_a_404_naming_the_delete()
    {
        var created = await _server.Client.PutAsJsonAsync("/collections/race", new { vectors = new { size = 4, distance = "Cosine" } });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        // What a concurrent DELETE does to the collection a request already holds: it is closed under it. The served
        // collection stays registered here, so the next request reaches the closed one, as the racing request would.
        _server.App.Services.GetRequiredService<ServedCollections>().Get("race").Dispose();

        var write = await _server.Client.PutAsJsonAsync("/collections/race/points", new { points = new[] { new { id = 1, vector = new[] { 1f, 0f, 0f, 0f } } } });
        var body = await write.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.Contains("deleted while this request was using it", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }
}
