using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Quiver.Server.Tests;

/// <summary>
/// Qdrant's snapshot routes: create, list, download, delete, recover from a server file or an upload; a damaged upload
/// is refused with the collection untouched; a restored collection answers as the source did.
/// </summary>
public sealed class SnapshotsApiTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task Create(string name, int from, int count)
    {
        var status = (await _server.Get($"/collections/{name}/exists")).Body!["result"]!["exists"]!.GetValue<bool>();
        if (!status)
        {
            await _server.Ok(_server.Put($"/collections/{name}", new { vectors = new { size = 4, distance = "Cosine" } }));
        }

        var random = new Random(from);
        var points = Enumerable.Range(from, count).Select(i => new
        {
            id = i,
            vector = Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(),
            payload = new { n = i, tag = $"t{i % 3}" },
        });
        await _server.Ok(_server.Put($"/collections/{name}/points?wait=true", new { points }));
    }

    private async Task<string> Answers(string name)
    {
        var search = await _server.Ok(_server.Post($"/collections/{name}/points/search", new { vector = new[] { 0.3f, -0.1f, 0.2f, 0.4f }, limit = 10, with_payload = true, with_vector = true }));
        var scroll = await _server.Ok(_server.Post($"/collections/{name}/points/scroll", new { limit = 1000, with_payload = true, with_vector = true }));
        var count = await _server.Ok(_server.Post($"/collections/{name}/points/count", new { exact = true }));
        return search["result"]!.ToJsonString() + scroll["result"]!.ToJsonString() + count["result"]!.ToJsonString();
    }

    private async Task<(int Status, byte[] Bytes)> Download(string path)
    {
        using var response = await _server.Client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<(int Status, JsonNode? Body)> Upload(string name, byte[] file, bool multipart, string query = "")
    {
        HttpContent content;
        if (multipart)
        {
            var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "snapshot", "upload.snapshot");
            content = form;
        }
        else
        {
            content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        using var response = await _server.Client.PostAsync(new Uri($"/collections/{name}/snapshots/upload{query}", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task Create_list_download_recover_and_delete_restore_what_the_source_answered()
    {
        await Create("docs", 0, 120);
        var before = await Answers("docs");
        var created = (await _server.Ok(_server.Post("/collections/docs/snapshots", "")))["result"]!;
        var name = created["name"]!.GetValue<string>();
        Assert.StartsWith("docs-", name, StringComparison.Ordinal);
        Assert.EndsWith(".snapshot", name, StringComparison.Ordinal);
        var listed = Assert.Single((await _server.Ok(_server.Get("/collections/docs/snapshots")))["result"]!.AsArray());
        Assert.Equal(created.ToJsonString(), listed!.ToJsonString());

        var (status, file) = await Download($"/collections/docs/snapshots/{name}");
        Assert.Equal(200, status);
        Assert.Equal(created["size"]!.GetValue<long>(), file.Length);
        Assert.Equal(created["checksum"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(file)));

        // Writes after the snapshot are undone by recovering it by name; a new collection is made from an upload.
        await Create("docs", 120, 30);
        await _server.Ok(_server.Post("/collections/docs/points/delete?wait=true", """{"points": [1, 2, 3]}"""));
        Assert.NotEqual(before, await Answers("docs"));
        Assert.True((await _server.Ok(_server.Put("/collections/docs/snapshots/recover", new { location = name })))["result"]!.GetValue<bool>());
        Assert.Equal(before, await Answers("docs"));

        var (uploaded, answer) = await Upload("copy", file, multipart: true, $"?checksum={created["checksum"]}&priority=snapshot");
        Assert.True(uploaded == 200, answer?.ToJsonString());
        Assert.Equal(before, await Answers("copy"));
        (uploaded, answer) = await Upload("raw", file, multipart: false);
        Assert.True(uploaded == 200, answer?.ToJsonString());
        Assert.Equal(before, await Answers("raw"));

        // A path on the server, as a file:// URL, into a collection made for it.
        var path = Path.Combine(_server.Root, "copy.snapshot");
        await File.WriteAllBytesAsync(path, file);
        await _server.Ok(_server.Put("/collections/fromfile/snapshots/recover", new { location = new Uri(path).AbsoluteUri, checksum = created["checksum"]!.GetValue<string>() }));
        Assert.Equal(before, await Answers("fromfile"));

        Assert.True((await _server.Ok(_server.Send(HttpMethod.Delete, $"/collections/docs/snapshots/{name}")))["result"]!.GetValue<bool>());
        Assert.Empty((await _server.Ok(_server.Get("/collections/docs/snapshots")))["result"]!.AsArray());
        Assert.Equal(404, (await _server.Send(HttpMethod.Delete, $"/collections/docs/snapshots/{name}")).Status);
        Assert.Equal(404, (await Download($"/collections/docs/snapshots/{name}")).Status);
    }

    [Fact]
    public async Task A_damaged_or_wrong_snapshot_is_refused_and_the_collection_answers_as_before()
    {
        await Create("docs", 0, 60);
        var name = (await _server.Ok(_server.Post("/collections/docs/snapshots", "")))["result"]!["name"]!.GetValue<string>();
        var (_, file) = await Download($"/collections/docs/snapshots/{name}");
        await Create("docs", 60, 10);
        var before = await Answers("docs");

        var flipped = file.ToArray();
        flipped[flipped.Length / 2] ^= 1;
        foreach (var (bytes, multipart) in new[] { (flipped, true), (file[..(file.Length / 2)], false), ("not a snapshot"u8.ToArray(), true) })
        {
            var (status, body) = await Upload("docs", bytes, multipart);
            Assert.True(status == 400, body?.ToJsonString());
            Assert.Contains("cannot be restored", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (mismatch, error) = await Upload("docs", file, multipart: true, "?checksum=" + new string('a', 64));
        Assert.Equal(400, mismatch);
        Assert.Contains("checksum mismatch", error!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, (await Upload("docs", file, multipart: true, "?checksum=xyz")).Status);
        Assert.Equal(400, (await _server.Put("/collections/docs/snapshots/recover", new { location = "http://example.com/x.snapshot" })).Status);
        Assert.Equal(400, (await _server.Put("/collections/docs/snapshots/recover", new { location = "/no/such/file.snapshot" })).Status);
        Assert.Equal(400, (await _server.Put("/collections/docs/snapshots/recover", new { location = "../" + name })).Status);
        Assert.Equal(400, (await _server.Put("/collections/docs/snapshots/recover", new { location = "/etc/hostname" })).Status);
        Assert.Equal(404, (await Download("/collections/docs/snapshots/..%2F..%2Fcollections%2Fdocs%2Fcollection.db")).Status);
        Assert.Equal(404, (await _server.Post("/collections/nope/snapshots", "")).Status);

        Assert.Equal(before, await Answers("docs"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_server.Paths.Snapshots, ".uploads")));
    }

    [Fact]
    public async Task Recovering_into_an_alias_restores_its_collection()
    {
        await Create("v1", 0, 20);
        await _server.Ok(_server.Post("/collections/aliases", """{"actions": [{"create_alias": {"collection_name": "v1", "alias_name": "prod"}}]}"""));
        var name = (await _server.Ok(_server.Post("/collections/prod/snapshots", "")))["result"]!["name"]!.GetValue<string>();
        Assert.StartsWith("v1-", name, StringComparison.Ordinal);
        var before = await Answers("prod");
        await Create("v1", 20, 5);
        await _server.Ok(_server.Put("/collections/prod/snapshots/recover", new { location = name }));
        Assert.Equal(before, await Answers("v1"));
        Assert.Equal(["v1"], (await _server.Ok(_server.Get("/collections")))["result"]!["collections"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }
}
