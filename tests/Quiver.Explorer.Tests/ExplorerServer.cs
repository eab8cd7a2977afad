using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Quiver.Core;
using Quiver.Server;

namespace Quiver.Explorer.Tests;

/// <summary>
/// A real <c>quiver serve</c> (the same host, in process) on a loopback port, over a temporary Quiver home, with an
/// admin and a read-only key, and two collections of <see cref="ExplorerCorpus"/> texts: "docs" (read by every test)
/// and "scratch" (where deletes are tried).
/// </summary>
public sealed class ExplorerServer : IAsyncDisposable
{
    public const string AdminKey = "explorer-admin-key";
    public const string ReadOnlyKey = "explorer-read-key";
    public const int Points = 300;

    private readonly WebApplication _app;

    private ExplorerServer(string root, WebApplication app, HttpClient client)
    {
        Root = root;
        _app = app;
        Client = client;
    }

    public string Root { get; }

    public HttpClient Client { get; }

    public string Url => _app.Urls.First();

    public static async Task<ExplorerServer> Start()
    {
        var root = Directory.CreateTempSubdirectory("quiver-explorer-").FullName;
        var paths = new QuiverPaths(Path.Combine(root, "home"));
        ExplorerCorpus.InstallModel(root, paths);
        var app = QuiverServer.Build(new ServerOptions
        {
            Paths = paths,
            Urls = "http://127.0.0.1:0",
            DefaultModel = ExplorerCorpus.Model,
            AdminKeys = [AdminKey],
            ReadOnlyKeys = [ReadOnlyKey],
        });
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("api-key", AdminKey);
        var server = new ExplorerServer(root, app, client);
        foreach (var name in new[] { "docs", "scratch" })
        {
            await server.Send(HttpMethod.Put, $"/collections/{name}", new { model = ExplorerCorpus.Model });
            var points = Enumerable.Range(1, Points).Select(id =>
            {
                var (text, payload) = ExplorerCorpus.Point(id);
                return new { id, text, payload };
            }).ToArray();
            await server.Send(HttpMethod.Put, $"/collections/{name}/points?wait=true", new { points });
        }

        return server;
    }

    /// <summary>Sends a request with the admin key and returns the answer's "result"; anything but 200 fails with the body.</summary>
    public async Task<JsonNode> Send(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["result"]!;
    }

    public async Task<long> Count(string collection) =>
        (await Send(HttpMethod.Post, $"/collections/{collection}/points/count", new { exact = true }))["count"]!.GetValue<long>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Client.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finalising handle; the temp folder is the OS's to clean.
        }
    }
}
