using System.ClientModel;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;
using Quiver.Catalogue;
using Quiver.Testing;

namespace Quiver.Server.Tests;

/// <summary>
/// The official clients, unchanged, against a server on a loopback port with an API key: npm openai and
/// @qdrant/js-client-rest (bench/peers/clients/check.mjs), and Microsoft.Extensions.AI.OpenAI from NuGet.
/// </summary>
public sealed class OfficialClientsTests : IAsyncLifetime
{
    private const string Key = "client-test-key";
    private static readonly NpmFolder Clients = new(Path.Combine(Repository.Root, "bench", "peers", "clients"), "openai", "@qdrant/js-client-rest");
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(o => o with { AdminKeys = [Key] }, loopback: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<float[]> InProcess(string text)
    {
        using var generator = InstalledModels.OpenTextGenerator(_server.Paths, "bert");
        return (await generator.GenerateAsync([text]))[0].Vector.ToArray();
    }

    private static float[] Floats(JsonNode? array) => [.. array!.AsArray().Select(v => v!.GetValue<float>())];

    [Fact]
    [Trait("Needs", "npm")]
    public async Task The_npm_openai_and_qdrant_clients_work_unchanged()
    {
        var (code, output, error) = Clients.Node(["check.mjs", "--url", _server.Url.TrimEnd('/'), "--key", Key, "--model", "bert"], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"check.mjs exited with {code}:\n{error}\n{output}");
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;

        // openai: base64 by default (decoded by the client), floats, batches, dimensions, models, a 404 it understands.
        Assert.Equal("bert", result["openai_single"]!["model"]!.GetValue<string>());
        Assert.Equal(await InProcess("the whale swims"), Floats(result["openai_single"]!["vector"]));
        Assert.Equal(5, result["openai_single"]!["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(await InProcess("a cat sat on the mat"), Floats(result["openai_many"]![1]!["vector"]));
        Assert.Equal(8, result["openai_dims"]!.GetValue<int>());
        Assert.Equal(["bert", "words"], result["openai_models"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(404, result["openai_missing"]!["status"]!.GetValue<int>());
        Assert.Equal("model_not_found", result["openai_missing"]!["code"]!.GetValue<string>());

        // qdrant: every call answered in the shape the client reads.
        Assert.True(result["created"]!.GetValue<bool>());
        Assert.Equal("completed", result["upsert"]!["status"]!.GetValue<string>());
        Assert.Equal(31, result["info"]!["points"]!.GetValue<int>());
        Assert.Equal("Cosine", result["info"]!["distance"]!.GetValue<string>());
        Assert.Contains("js_client_check", result["collections"]!.AsArray().Select(c => c!.GetValue<string>()));
        var search = result["search"]!.AsArray();
        Assert.Equal(5, search.Count);
        Assert.All(search, hit => Assert.Equal("red", hit!["payload"]!["colour"]!.GetValue<string>()));
        Assert.All(result["query"]!.AsArray(), hit => Assert.True(hit!["payload"]!["n"]!.GetValue<int>() >= 10));
        Assert.Equal(15, result["count_red"]!.GetValue<int>());
        var scrolled = result["scrolled"]!.AsArray().Select(id => id!.ToJsonString()).ToList();
        Assert.Equal([.. Enumerable.Range(1, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "\"5c56c793-69f3-4fbf-87e6-c4bf54c28c26\""], scrolled);
        Assert.Equal(4, result["retrieve"]![0]!["vector"]!.AsArray().Count);
        Assert.True(result["after_set"]!["checked"]!.GetValue<bool>());
        Assert.Equal(28, result["count_after_delete"]!.GetValue<int>());
        Assert.Equal(400, result["bad_upsert"]!["status"]!.GetValue<int>());
        Assert.Contains("dimension", result["bad_upsert"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(result["deleted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Microsoft_Extensions_AI_OpenAI_gets_embeddings()
    {
        var client = new OpenAIClient(new ApiKeyCredential(Key), new OpenAIClientOptions { Endpoint = new Uri(_server.Url.TrimEnd('/') + "/v1") });
        using var generator = client.GetEmbeddingClient("bert").AsIEmbeddingGenerator();

        var embeddings = await generator.GenerateAsync(["the whale swims", "a cat sat on the mat"]);
        var shorter = await generator.GenerateAsync(["the whale swims"], new EmbeddingGenerationOptions { Dimensions = 8 });

        Assert.Equal(await InProcess("the whale swims"), embeddings[0].Vector.ToArray());
        Assert.Equal(await InProcess("a cat sat on the mat"), embeddings[1].Vector.ToArray());
        Assert.Equal(5 + 8, embeddings.Usage?.InputTokenCount);
        Assert.Equal(8, shorter[0].Vector.Length);

        var wrongKey = new OpenAIClient(new ApiKeyCredential("wrong"), new OpenAIClientOptions { Endpoint = new Uri(_server.Url.TrimEnd('/') + "/v1") });
        using var refused = wrongKey.GetEmbeddingClient("bert").AsIEmbeddingGenerator();
        var error = await Assert.ThrowsAsync<ClientResultException>(() => refused.GenerateAsync(["x"]));
        Assert.Equal(401, error.Status);
    }
}
