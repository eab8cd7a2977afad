using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Catalogue;
using Quiver.Training.Documents;
using Quiver.Training.Words;

namespace Quiver.Server.Tests;

/// <summary>A Doc2Vec model is served like any other text model: listed, embedded through /v1/embeddings, token ids refused.</summary>
public sealed class Doc2VecServingTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        string[] words = ["the", "whale", "swims", "at", "sea", "a", "ship", "of", "bread", "and", "soup", "in", "kitchen"];
        var random = new Random(23);
        var documents = Enumerable.Range(0, 80)
            .Select(_ => (IReadOnlyList<string>)[.. Enumerable.Range(0, 8).Select(_ => words[random.Next(words.Length)])])
            .ToList();
        var model = Doc2VecTrainer.Train(documents, new Doc2VecOptions
        {
            Mode = Doc2VecMode.DistributedBagOfWords,
            Word2Vec = new Word2VecOptions { Dimensions = 8, MinCount = 1, Epochs = 2, Threads = 1 },
        });
        Doc2VecFolder.Install(_server.Paths, "docs", model, "test", force: false);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Embeddings_serve_a_doc2vec_model_with_the_in_process_vectors()
    {
        string[] texts = ["the whale swims at sea", "bread and soup"];
        var body = await _server.Ok(_server.Post("/v1/embeddings", new { input = texts, model = "docs" }));

        using var generator = InstalledModels.OpenTextGenerator(_server.Paths, "docs");
        var expected = await generator.GenerateAsync(texts);
        var data = body["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i].Vector.ToArray(), data[i]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray());
        }

        Assert.Equal(5 + 3, body["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_doc2vec_model_is_listed_and_refuses_token_ids()
    {
        var list = await _server.Ok(_server.Get("/v1/models"));
        Assert.Contains("docs", list["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));

        var (status, error) = await _server.Post("/v1/embeddings", new { input = new[] { 1, 2 }, model = "docs" });
        Assert.Equal(400, status);
        Assert.Contains("token-id", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
