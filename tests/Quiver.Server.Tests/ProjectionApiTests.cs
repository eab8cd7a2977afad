using System.Text.Json.Nodes;

namespace Quiver.Server.Tests;

/// <summary>POST /collections/{name}/projection: a collection's points in 2-D or 3-D, cached until the collection changes.</summary>
public sealed class ProjectionApiTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture();
        await _server.Ok(_server.Put("/collections/blobs", new { vectors = new { size = 8, distance = "Euclid" } }));

        // Three well-separated blobs of 20 points in 8-D, with the blob as payload.
        var random = new Random(3);
        var points = Enumerable.Range(0, 60).Select(i => new
        {
            id = i + 1,
            vector = Enumerable.Range(0, 8).Select(d => (d == i % 3 ? 10f : 0f) + (float)random.NextDouble()).ToArray(),
            payload = new { blob = i % 3 },
        }).ToArray();
        await _server.Ok(_server.Put("/collections/blobs/points?wait=true", new { points }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Dictionary<long, float[]> Coordinates(JsonNode result) =>
        result["points"]!.AsArray().ToDictionary(p => p!["id"]!.GetValue<long>(), p => p!["coordinates"]!.AsArray().Select(x => x!.GetValue<float>()).ToArray());

    [Fact]
    public async Task Pca_maps_every_point_keeps_the_blobs_apart_and_is_cached_until_the_collection_changes()
    {
        var first = (await _server.Ok(_server.Post("/collections/blobs/projection", new { method = "pca", with_payload = true })))["result"]!;

        Assert.Equal(60, first["total"]!.GetValue<long>());
        Assert.False(first["sampled"]!.GetValue<bool>());
        Assert.False(first["cached"]!.GetValue<bool>());
        Assert.Equal(2, first["explained_variance_ratio"]!.AsArray().Count);
        var map = Coordinates(first);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), map.Keys.Order());
        Assert.All(map.Values, c => Assert.Equal(2, c.Length));

        // Each blob's points are closer to their own blob's centre than to any other blob's.
        var blobOf = first["points"]!.AsArray().ToDictionary(p => p!["id"]!.GetValue<long>(), p => p!["payload"]!["blob"]!.GetValue<int>());
        var centres = Enumerable.Range(0, 3).Select(b => new[] { map.Where(m => blobOf[m.Key] == b).Average(m => m.Value[0]), map.Where(m => blobOf[m.Key] == b).Average(m => m.Value[1]) }).ToArray();
        foreach (var (id, c) in map)
        {
            var nearest = Enumerable.Range(0, 3).MinBy(b => Math.Pow(c[0] - centres[b][0], 2) + Math.Pow(c[1] - centres[b][1], 2));
            Assert.Equal(blobOf[id], nearest);
        }

        var again = (await _server.Ok(_server.Post("/collections/blobs/projection", new { method = "pca" })))["result"]!;
        Assert.True(again["cached"]!.GetValue<bool>());
        Assert.Null(again["points"]![0]!["payload"]);

        await _server.Ok(_server.Put("/collections/blobs/points?wait=true", new { points = new[] { new { id = 61, vector = new float[8], payload = new { blob = 9 } } } }));
        var changed = (await _server.Ok(_server.Post("/collections/blobs/projection", new { method = "pca" })))["result"]!;
        Assert.False(changed["cached"]!.GetValue<bool>());
        Assert.Equal(61, changed["points"]!.AsArray().Count);
        Assert.True(changed["sequence"]!.GetValue<long>() > first["sequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task Umap_in_three_dimensions_is_seeded_and_a_limit_samples_the_collection()
    {
        var a = (await _server.Ok(_server.Post("/collections/blobs/projection", new { dimensions = 3, seed = 7, limit = 40 })))["result"]!;
        var b = (await _server.Ok(_server.Post("/collections/blobs/projection", new { dimensions = 3, seed = 7, limit = 40 })))["result"]!;

        Assert.Equal("umap", a["method"]!.GetValue<string>());
        Assert.True(a["sampled"]!.GetValue<bool>());
        Assert.Equal(40, a["points"]!.AsArray().Count);
        Assert.All(Coordinates(a).Values, c => Assert.Equal(3, c.Length));
        Assert.True(b["cached"]!.GetValue<bool>());
        Assert.Equal(a["points"]!.ToJsonString(), b["points"]!.ToJsonString());
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        var method = await _server.Post("/collections/blobs/projection", new { method = "mds" });
        var dimensions = await _server.Post("/collections/blobs/projection", new { dimensions = 4 });
        var missing = await _server.Post("/collections/nope/projection", new { });

        Assert.Equal(400, method.Status);
        Assert.Contains("use umap, tsne or pca", method.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, dimensions.Status);
        Assert.Contains("dimensions", dimensions.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, missing.Status);

        await _server.Ok(_server.Put("/collections/one", new { vectors = new { size = 2, distance = "Cosine" } }));
        await _server.Ok(_server.Put("/collections/one/points?wait=true", new { points = new[] { new { id = 1, vector = new[] { 1f, 0f } } } }));
        var tooFew = await _server.Post("/collections/one/projection", new { method = "pca" });
        Assert.Equal(400, tooFew.Status);
        Assert.Contains("at least", tooFew.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
