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

    [Fact]
    public async Task A_collection_made_with_another_pooling_is_embedded_with_that_pooling_for_points_and_queries()
    {
        // "bert" pools by mean; the collection was made (by the CLI or the library) with its CLS pooling.
        var mean = Installed("bert");
        var cls = Installed("bert", "cls");
        Assert.NotEqual(mean.Model.Variant, cls.Model.Variant);
        using (CollectionStore.FromPaths(_server.Paths).Create("pooled", new CollectionOptions(cls)))
        {
        }

        string[] texts = ["the whale swims in the sea", "a frog jumps in the pond", "the cat sat on the mat"];
        await _server.Ok(_server.Put("/collections/pooled/points?wait=true", new { points = texts.Select((t, i) => new { id = i + 1, text = t }) }));

        using var documents = CollectionEncoders.OpenText(_server.Paths, "pooled", cls, TextRole.Document);
        var expected = await documents.GenerateAsync(texts);
        var stored = (await _server.Ok(_server.Post("/collections/pooled/points/scroll", new { limit = 10, with_vector = true })))["result"]!["points"]!.AsArray();
        Assert.Equal(texts.Length, stored.Count);
        foreach (var point in stored)
        {
            var id = point!["id"]!.GetValue<int>();
            var vector = point["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            var want = expected[id - 1].Vector.ToArray();
            Assert.Equal(want.Length, vector.Length);
            Assert.True(want.Zip(vector).Max(p => Math.Abs(p.First - p.Second)) <= 1e-5f, $"point {id} is not the CLS vector the library gives");
        }

        // The mean-pooled vector of the same text is another vector, so the check above tells the poolings apart.
        using var meanGenerator = InstalledModels.OpenTextGenerator(_server.Paths, "bert");
        var meanVector = (await meanGenerator.GenerateAsync([texts[0]]))[0].Vector.ToArray();
        Assert.True(meanVector.Zip(expected[0].Vector.ToArray()).Max(p => Math.Abs(p.First - p.Second)) > 1e-3f);

        // A text query is embedded with the same pooling: the point of the same text scores 1.
        var hits = (await _server.Ok(_server.Post("/collections/pooled/points/search/text", new { text = texts[1], mode = "dense" })))["result"]!.AsArray();
        Assert.Equal(2, hits[0]!["id"]!.GetValue<int>());
        Assert.Equal(1.0, hits[0]!["score"]!.GetValue<double>(), 4);
        var query = await _server.Ok(_server.Post("/collections/pooled/points/query", new { query = new { text = texts[2] }, limit = 1 }));
        Assert.Equal(3, query["result"]!["points"]![0]!["id"]!.GetValue<int>());
        Assert.Equal(1.0, query["result"]!["points"]![0]!["score"]!.GetValue<double>(), 4);

        // /v1/embeddings still serves the model with its own pooling.
        var served = await _server.Ok(_server.Post("/v1/embeddings", new { input = texts[0], model = "bert" }));
        var servedVector = served["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.True(meanVector.Zip(servedVector).Max(p => Math.Abs(p.First - p.Second)) <= 1e-5f);
    }

    private EmbeddingSpace Installed(string model, string? pooling = null)
    {
        using var generator = InstalledModels.OpenTextGenerator(_server.Paths, model, pooling);
        return generator.GetService<EmbeddingSpace>()!;
    }

    private EmbeddingSpace Installed()
    {
        using var generator = InstalledModels.OpenTextGenerator(_server.Paths, "words");
        return generator.GetService<EmbeddingSpace>()!;
    }
}
