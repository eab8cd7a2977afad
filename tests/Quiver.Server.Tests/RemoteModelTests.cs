using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Remote;

namespace Quiver.Server.Tests;

/// <summary>
/// A remote model over a real <c>quiver serve</c> (a child process on a loopback port, serving the random-weight BERT
/// "bert"): added, embedded through the library and through another server, its vectors are the served model's.
/// </summary>
public sealed class RemoteModelTests : IAsyncLifetime
{
    // Lengths from 1 to past the model's 16 tokens, so that padded batches and truncation are both in play.
    private static readonly string[] Texts =
    [
        "frog",
        "the whale swims",
        "a cat sat on the mat",
        "the ship sails on the sea and the frog jumps in the pond of the cat on the mat , the dog barks .",
    ];

    private string _upstreamRoot = null!;
    private QuiverPaths _upstreamPaths = null!;
    private ServerProcess _upstream = null!;
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _upstreamRoot = Directory.CreateTempSubdirectory("quiver-upstream-").FullName;
        _upstreamPaths = new QuiverPaths(Path.Combine(_upstreamRoot, "home"));
        ServerFixture.InstallModels(_upstreamRoot, _upstreamPaths);
        _upstream = await ServerProcess.Start(_upstreamPaths.Home);
        _server = new ServerFixture();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
        Directory.Delete(_upstreamRoot, recursive: true);
    }

    private static void AssertClose(IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            var worst = expected[i].Zip(actual[i], (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-5, $"input {i}: max |difference| {worst} > 1e-5");
        }
    }

    private static float[] Floats(JsonNode? array) => [.. array!.AsArray().Select(v => v!.GetValue<float>())];

    [Fact]
    public async Task A_remote_model_over_a_real_quiver_serve_gives_the_served_models_vectors_in_the_library_and_the_server()
    {
        using var local = InstalledModels.OpenTextGenerator(_upstreamPaths, "bert");
        var expected = await local.GenerateAsync(Texts);
        var localSpace = local.GetService<EmbeddingSpace>()!;

        var endpoint = RemoteEndpoint.Create(_upstream.Url.ToString().TrimEnd('/') + "/v1", "bert");
        var manifest = await new ModelInstaller(_server.Paths).AddRemoteAsync("far", endpoint, localSpace.Dimensions, force: false, progress: null, CancellationToken.None);
        Assert.Equal(RemoteModel.Kind, manifest.Kind);
        Assert.Equal(localSpace.Dimensions, manifest.Dimensions);

        // The library: the same vectors, the provider's token count, a space of its own.
        using var remote = InstalledModels.OpenTextGenerator(_server.Paths, "far");
        Assert.Equal(new EmbeddingSpace(new ModelReference("far", null, manifest.Revision[..16]), localSpace.Dimensions, DistanceMetric.Cosine, localSpace.Normalized), remote.GetService<EmbeddingSpace>());
        var generated = await remote.GenerateAsync(Texts);
        AssertClose([.. expected.Select(e => e.Vector.ToArray())], [.. generated.Select(e => e.Vector.ToArray())]);
        Assert.Equal(expected.Usage!.InputTokenCount, generated.Usage!.InputTokenCount);

        // The server: /v1/embeddings serves it, with the provider's usage, and lists it.
        var body = await _server.Ok(_server.Post("/v1/embeddings", new { model = "far", input = Texts }));
        Assert.Equal("far", body["model"]!.GetValue<string>());
        AssertClose([.. expected.Select(e => e.Vector.ToArray())], [.. body["data"]!.AsArray().Select(d => Floats(d!["embedding"]))]);
        Assert.Equal(expected.Usage.InputTokenCount, body["usage"]!["prompt_tokens"]!.GetValue<long>());
        var models = await _server.Ok(_server.Get("/v1/models"));
        Assert.Equal("remote", models["data"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "far")!["kind"]!.GetValue<string>());

        var (status, error) = await _server.Post("/v1/embeddings", new { model = "far", input = new[] { 5, 6, 7 } });
        Assert.Equal(400, status);
        Assert.Contains("remote model and takes text", error!.ToJsonString(), StringComparison.Ordinal);

        // A collection bound to it embeds its text points and queries.
        await _server.Ok(_server.Put("/collections/notes", new { model = "far" }));
        await _server.Ok(_server.Put("/collections/notes/points", new { points = Texts.Select((t, i) => new { id = i + 1, text = t }).ToArray() }));
        var hits = await _server.Ok(_server.Post("/collections/notes/points/query", new { query = new { text = Texts[2] }, limit = 1 }));
        Assert.Equal(3, hits["result"]!["points"]![0]!["id"]!.GetValue<int>());

        // The endpoint gone: a 502 that names it, for a text not in the server's cache.
        _upstream.Kill();
        (status, error) = await _server.Post("/v1/embeddings", new { model = "far", input = "the dog barks at the whale" });
        Assert.Equal(502, status);
        Assert.Contains($"Cannot reach {endpoint.BaseUrl}", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
