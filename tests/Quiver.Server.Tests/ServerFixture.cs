using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;

namespace Quiver.Server.Tests;

/// <summary>
/// A Quiver home with two small real models (a random-weight BERT "bert" reading at most 16 tokens, and word vectors
/// "words"), and a server over it on ASP.NET Core's in-memory test server (or on a loopback port for real clients).
/// </summary>
public sealed class ServerFixture : IAsyncDisposable
{
    public static readonly string[] Words =
    [
        "the", "a", "whale", "ship", "sea", "swims", "sails", "frog", "pond", "jumps", "in", "of", "on", "is", "cat", "mat", "sat", "dog", "barks", ".", ",",
    ];

    private WebApplication? _app;

    public ServerFixture(Func<ServerOptions, ServerOptions>? configure = null, bool loopback = false)
    {
        Root = Directory.CreateTempSubdirectory("quiver-server-").FullName;
        Paths = new QuiverPaths(Path.Combine(Root, "home"));
        InstallModels(Root, Paths);
        var options = new ServerOptions { Paths = Paths, Urls = loopback ? "http://127.0.0.1:0" : ServerOptions.DefaultUrl, DefaultModel = "bert" };
        Options = configure?.Invoke(options) ?? options;
        _app = QuiverServer.Build(Options, builder =>
        {
            if (!loopback)
            {
                builder.WebHost.UseTestServer();
            }
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Client = loopback ? new HttpClient { BaseAddress = new Uri(_app.Urls.First()) } : _app.GetTestClient();
        Client.Timeout = TimeSpan.FromMinutes(2);
    }

    public string Root { get; }

    public QuiverPaths Paths { get; }

    public ServerOptions Options { get; }

    public HttpClient Client { get; }

    public WebApplication App => _app!;

    public string Url => App.Urls.First();

    public static void InstallModels(string root, QuiverPaths paths)
    {
        var tokens = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        tokens.AddRange(Words);
        tokens.AddRange(["##s", "##ing"]);
        var vocabulary = new WordPieceVocabulary(tokens);
        var folder = Path.Combine(root, "tiny-bert");
        SyntheticBert.WriteFolder(folder, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 3 }, vocabulary, maxLength: 16);
        var installer = new ModelInstaller(paths);
        installer.InstallFolder("bert", folder, force: false, progress: null);

        var random = new Random(11);
        var lines = Words.Where(w => w is not ("." or ",")).Select(w => w + " " + string.Join(' ', Enumerable.Range(0, 8).Select(_ => (random.NextDouble() - 0.5).ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        var file = Path.Combine(root, "words.txt");
        File.WriteAllLines(file, lines);
        installer.InstallFromFile("words", file, format: null, force: false, progress: null);
    }

    public async Task<(int Status, JsonNode? Body)> Send(HttpMethod method, string path, string? json = null, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("api-key", key);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            body = JsonNode.Parse(text);
        }

        return ((int)response.StatusCode, body);
    }

    public Task<(int Status, JsonNode? Body)> Post(string path, object body, string? key = null) =>
        Send(HttpMethod.Post, path, body as string ?? JsonSerializer.Serialize(body), key);

    public Task<(int Status, JsonNode? Body)> Put(string path, object body, string? key = null) =>
        Send(HttpMethod.Put, path, body as string ?? JsonSerializer.Serialize(body), key);

    public Task<(int Status, JsonNode? Body)> Get(string path, string? key = null) => Send(HttpMethod.Get, path, null, key);

    public async Task<JsonNode> Ok(Task<(int Status, JsonNode? Body)> call)
    {
        var (status, body) = await call;
        Assert.True(status == 200, $"expected 200, got {status}: {body?.ToJsonString()}");
        return body!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        Client.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalising handle; the temp folder is cleaned by the OS.
        }
    }
}
