using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Quiver.Core;

namespace Quiver.Server.Tests;

/// <summary>
/// The server over a collection's files: <c>PUT /collections/{name}</c> never adopts files a deleted database left
/// behind, and a snapshot from another collection is rebuilt with a warning in the server's log.
/// </summary>
public sealed class CollectionFilesApiTests : IDisposable
{
    private const string StoreCategory = "Quiver.Store.Collections.CollectionStore";
    private readonly string _root = Directory.CreateTempSubdirectory("quiver-files-").FullName;

    private QuiverPaths Paths => new(Path.Combine(_root, "home"));

    private string Folder(string collection) => Path.Combine(Paths.Collections, collection);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(WebApplication App, HttpClient Client)> Start(CapturedLogs logs)
    {
        var app = QuiverServer.Build(new ServerOptions { Paths = Paths, Urls = ServerOptions.DefaultUrl }, b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    private static async Task<JsonNode> Ok(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static object Points(int first, int count, int dimensions) => new
    {
        points = Enumerable.Range(first, count).Select(i => new
        {
            id = i,
            vector = Enumerable.Range(0, dimensions).Select(d => (float)Math.Sin((i * 7) + d)).ToArray(),
        }),
    };

    private static float[] VectorOf(int id, int dimensions) => Enumerable.Range(0, dimensions).Select(d => (float)Math.Sin((id * 7) + d)).ToArray();

    [Fact]
    public async Task Put_over_files_left_by_a_deleted_database_creates_an_empty_collection_with_the_requested_options()
    {
        var logs = new CapturedLogs();
        var (app, client) = await Start(logs);
        await using (app)
        {
            await Ok(client, HttpMethod.Put, "/collections/c", new { vectors = new { size = 4, distance = "Cosine" } });
            var database = Path.Combine(Folder("c"), "collection.db");

            // A connection of the test's own keeps the -wal file holding the points (pooled ones alone may be closed by
            // another test's ClearAllPools, and the last close checkpoints and deletes it); keep it as a crash would.
            byte[] saved;
            using (var holder = new SqliteConnection($"Data Source={database};Pooling=False"))
            {
                // Only a connection that has read holds the shared lock that keeps the -wal in place (SQLite opens lazily).
                holder.Open();
                using (var read = holder.CreateCommand())
                {
                    read.CommandText = "SELECT COUNT(*) FROM points";
                    read.ExecuteScalar();
                }

                await Ok(client, HttpMethod.Put, "/collections/c/points?wait=true", Points(1, 30, 4));
                saved = File.ReadAllBytes(database + "-wal");
            }

            Assert.NotEmpty(saved);
            SqliteConnection.ClearAllPools();
            File.Delete(database);
            File.WriteAllBytes(database + "-wal", saved);

            await Ok(client, HttpMethod.Put, "/collections/c", new { vectors = new { size = 8, distance = "Euclid" } });
            var info = await Ok(client, HttpMethod.Get, "/collections/c");
            Assert.Equal(0, info["result"]!["points_count"]!.GetValue<int>());
            Assert.Equal(8, info["result"]!["config"]!["params"]!["vectors"]!["size"]!.GetValue<int>());
            Assert.Equal("Euclid", info["result"]!["config"]!["params"]!["vectors"]!["distance"]!.GetValue<string>());
            var hits = await Ok(client, HttpMethod.Post, "/collections/c/points/search", new { vector = VectorOf(1, 8), limit = 5 });
            Assert.Empty(hits["result"]!.AsArray());
            await app.StopAsync();
        }

        Assert.Contains(logs.Entries, e => e.Category == StoreCategory && e.Level == LogLevel.Warning && e.Message.Contains("moved them to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_snapshot_copied_from_another_collection_is_rebuilt_with_a_warning_in_the_server_log()
    {
        var (first, client) = await Start(new CapturedLogs());
        await using (first)
        {
            foreach (var (name, start) in new[] { ("a", 1), ("b", 1001) })
            {
                await Ok(client, HttpMethod.Put, $"/collections/{name}", new { vectors = new { size = 6, distance = "Cosine" } });
                await Ok(client, HttpMethod.Put, $"/collections/{name}/points?wait=true", Points(start, 40, 6));
            }

            // Stopping writes each collection's snapshot.
            await first.StopAsync();
        }

        SqliteConnection.ClearAllPools();
        File.Copy(Path.Combine(Folder("b"), "index.qhns"), Path.Combine(Folder("a"), "index.qhns"), overwrite: true);

        var logs = new CapturedLogs();
        var (second, again) = await Start(logs);
        await using (second)
        {
            var hits = await Ok(again, HttpMethod.Post, "/collections/a/points/search", new { vector = VectorOf(17, 6), limit = 1 });
            Assert.Equal(17, hits["result"]![0]!["id"]!.GetValue<int>());
            await second.StopAsync();
        }

        var warning = Assert.Single(logs.Entries, e => e.Category == StoreCategory && e.Level == LogLevel.Warning);
        Assert.Contains("Collection a: the index snapshot belongs to another database", warning.Message, StringComparison.Ordinal);
    }
}
