using Microsoft.Extensions.AI;
using Quiver.Catalogue;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;

namespace Quiver.Server.Tests;

/// <summary>
/// A collection leads the server to its model through its space: the model's name and variant as written on disk
/// ("words/sif") come back in the answers unchanged, and text for a collection whose model was since replaced (another
/// revision under the same name) is refused naming both spaces, not embedded into vectors that do not compare.
/// </summary>
public sealed class CollectionModelTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_collection_reports_its_model_as_written_and_its_text_is_embedded_by_that_model()
    {
        await _server.Ok(_server.Put("/collections/notes", new { model = "words" }));
        await _server.Ok(_server.Put("/collections/notes/points?wait=true", new { points = new[] { new { id = 1, text = "the whale swims in the sea" } } }));

        var info = (await _server.Ok(_server.Get("/collections/notes")))["result"]!["quiver"]!;
        Assert.Equal(Installed().ModelId, info["model"]!.GetValue<string>());
        Assert.Equal(Installed().Revision, info["revision"]!.GetValue<string>());
        var overview = (await _server.Ok(_server.Get("/collections/notes/overview")))["result"]!;
        Assert.Equal(Installed().ModelId, overview["space"]!["model"]!.GetValue<string>());

        var hits = (await _server.Ok(_server.Post("/collections/notes/points/search/text", new { text = "the whale swims in the sea", mode = "dense" })))["result"]!.AsArray();
        Assert.Equal(1, Assert.Single(hits)!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task Text_for_a_collection_whose_model_was_replaced_is_refused_naming_both()
    {
        var installed = Installed();
        var older = installed with { Model = installed.Model with { Revision = "0123456789abcdef" } };
        using (CollectionStore.FromPaths(_server.Paths).Create("old", new CollectionOptions(older)))
        {
        }

        var (status, body) = await _server.Post("/collections/old/points/search/text", new { text = "whale", mode = "dense" });
        Assert.Equal(400, status);
        var message = body!["status"]!["error"]!.GetValue<string>();
        Assert.Contains("Collection 'old'", message);
        Assert.Contains(older.ToString(), message);
        Assert.Contains(installed.ToString(), message);
        Assert.Contains("reinstalled or replaced", message);

        (status, body) = await _server.Put("/collections/old/points?wait=true", new { points = new[] { new { id = 1, text = "a frog" } } });
        Assert.Equal(400, status);
        Assert.Contains(older.ToString(), body!["status"]!["error"]!.GetValue<string>());
    }

    private EmbeddingSpace Installed()
    {
        using var generator = InstalledModels.OpenTextGenerator(_server.Paths, "words");
        return generator.GetService<EmbeddingSpace>()!;
    }
}
