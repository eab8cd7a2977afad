using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Models.Remote;

namespace Quiver.Models.Tests.Remote;

/// <summary><c>quiver models add</c>'s library side: one call to learn the endpoint, then model.json and remote.json, or nothing.</summary>
public sealed class RemoteModelInstallTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly QuiverPaths _paths;
    private readonly ModelInstaller _installer;

    public RemoteModelInstallTests()
    {
        _paths = new QuiverPaths(_folder.File("home"));
        _installer = new ModelInstaller(_paths);
    }

    public void Dispose() => _folder.Dispose();

    private static ScriptedAnswer UnitVectors(ScriptedRequest request) =>
        ScriptedAnswer.Ok(ScriptedEndpoint.Embeddings(request.Inputs.Select((_, i) => new[] { 0.6f, i == 0 ? 0.8f : 0f, i == 0 ? 0f : 0.8f })));

    private void AssertNothingStored(string name)
    {
        Assert.False(InstalledModels.IsInstalled(_paths, name));
        Assert.False(Directory.Exists(Path.Combine(_paths.Models, name)));
        Assert.False(Directory.Exists(Path.Combine(_paths.Models, name + ".installing")));
    }

    [Fact]
    public async Task Add_learns_the_size_and_normalisation_and_stores_the_keys_variable_not_the_key()
    {
        var variable = "QUIVER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-secret-never-stored");
        try
        {
            using var server = new ScriptedEndpoint(UnitVectors);
            var endpoint = RemoteEndpoint.Create(server.Url + "/", "text-embedding-3-small", variable, maxBatch: 100);

            var manifest = await _installer.AddRemoteAsync("far", endpoint, dimensions: 3, force: false, progress: null, CancellationToken.None);

            Assert.Equal(RemoteModel.Kind, manifest.Kind);
            Assert.Equal(3, manifest.Dimensions);
            Assert.Contains(server.Url.ToString(), manifest.Source, StringComparison.Ordinal);
            Assert.Equal(RemoteModel.ComputeRevision(endpoint, 3), manifest.Revision);
            Assert.Equal(64, manifest.Revision.Length);
            var files = Directory.GetFiles(Path.Combine(_paths.Models, "far")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            Assert.Equal([ModelManifest.FileName, RemoteModel.SettingsFile], files);
            foreach (var file in Directory.GetFiles(Path.Combine(_paths.Models, "far")))
            {
                Assert.DoesNotContain("sk-secret", File.ReadAllText(file), StringComparison.Ordinal);
            }

            var model = RemoteModel.Open(_paths, "far");
            Assert.Equal(server.Url, model.Endpoint.BaseUrl);
            Assert.Equal("text-embedding-3-small", model.Endpoint.Model);
            Assert.Equal(variable, model.Endpoint.ApiKeyVariable);
            Assert.Equal(100, model.Endpoint.MaxBatch);
            Assert.Equal(new EmbeddingSpace(new ModelReference("far", null, manifest.Revision[..16]), 3, DistanceMetric.Cosine, Normalized: true), model.Space);

            using var generator = InstalledModels.OpenTextGenerator(_paths, "far");
            Assert.Equal(model.Space, generator.GetService(typeof(EmbeddingSpace)));
            var vectors = await generator.GenerateAsync(["a", "b"]);
            Assert.Equal([0.6f, 0f, 0.8f], vectors[1].Vector.ToArray());
            Assert.All(server.Requests, r => Assert.Equal("Bearer sk-secret-never-stored", r.Authorization));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Vectors_that_are_not_unit_length_are_recorded_as_not_normalised()
    {
        using var server = new ScriptedEndpoint(r => ScriptedAnswer.Ok(ScriptedEndpoint.Embeddings(r.Inputs.Select(_ => new[] { 3f, 4f }))));

        await _installer.AddRemoteAsync("raw", RemoteEndpoint.Create(server.Url.ToString(), "m"), null, false, null, CancellationToken.None);

        Assert.False(RemoteModel.Open(_paths, "raw").Space.Normalized);
    }

    [Fact]
    public async Task Add_refuses_an_unreachable_endpoint_and_stores_nothing()
    {
        var endpoint = RemoteEndpoint.Create($"http://127.0.0.1:{ScriptedEndpoint.UnusedPort()}/v1", "m");

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => _installer.AddRemoteAsync("far", endpoint, null, false, null, CancellationToken.None));

        Assert.Contains("Cannot reach", error.Message, StringComparison.Ordinal);
        AssertNothingStored("far");
    }

    [Fact]
    public async Task Add_refuses_a_size_other_than_dimensions_and_stores_nothing()
    {
        using var server = new ScriptedEndpoint(UnitVectors);

        var error = await Assert.ThrowsAsync<QuiverException>(() => _installer.AddRemoteAsync("far", RemoteEndpoint.Create(server.Url.ToString(), "m"), 1536, false, null, CancellationToken.None));

        Assert.Contains("answered 3-dimensional vectors", error.Message, StringComparison.Ordinal);
        Assert.Contains("--dimensions says 1536", error.Message, StringComparison.Ordinal);
        AssertNothingStored("far");
    }

    [Fact]
    public async Task Add_refuses_a_missing_key_variable_and_stores_nothing()
    {
        using var server = new ScriptedEndpoint(UnitVectors);
        var variable = "QUIVER_TEST_KEY_" + Guid.NewGuid().ToString("N");

        var error = await Assert.ThrowsAsync<QuiverException>(() => _installer.AddRemoteAsync("far", RemoteEndpoint.Create(server.Url.ToString(), "m", variable), null, false, null, CancellationToken.None));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        AssertNothingStored("far");
    }

    [Fact]
    public async Task A_failed_add_with_force_keeps_the_installed_model()
    {
        using var server = new ScriptedEndpoint(UnitVectors);
        var endpoint = RemoteEndpoint.Create(server.Url.ToString(), "m");
        var first = await _installer.AddRemoteAsync("far", endpoint, null, false, null, CancellationToken.None);

        Assert.Contains("already installed", (await Assert.ThrowsAsync<QuiverException>(() => _installer.AddRemoteAsync("far", endpoint, null, false, null, CancellationToken.None))).Message, StringComparison.Ordinal);
        server.Answer = _ => ScriptedAnswer.Ok("not json");
        await Assert.ThrowsAsync<RemoteEmbeddingException>(() => _installer.AddRemoteAsync("far", endpoint, null, force: true, null, CancellationToken.None));

        Assert.Equal(first.Revision, InstalledModels.Manifest(_paths, "far").Revision);
        Assert.False(Directory.Exists(Path.Combine(_paths.Models, "far.installing")));
    }

    [Fact]
    public async Task A_remote_model_refuses_a_pooling_or_another_size_rather_than_ignoring_it()
    {
        using var server = new ScriptedEndpoint(UnitVectors);
        await _installer.AddRemoteAsync("far", RemoteEndpoint.Create(server.Url.ToString(), "m"), null, false, null, CancellationToken.None);

        Assert.Contains("pools the vectors", Assert.Throws<QuiverException>(() => InstalledModels.OpenTextGenerator(_paths, "far", "mean")).Message, StringComparison.Ordinal);
        Assert.Contains("cannot give 2", Assert.Throws<QuiverException>(() => InstalledModels.OpenTextGenerator(_paths, "far", options: new TransformerEncoderOptions { Dimensions = 2 })).Message, StringComparison.Ordinal);
    }
}
