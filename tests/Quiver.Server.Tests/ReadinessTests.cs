using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Server.Collections;
using Quiver.Server.Operations;
using Quiver.Store.Collections;

namespace Quiver.Server.Tests;

/// <summary>/readyz: ready once the collections found at start are open with their indexes loaded; its 503 names no path.</summary>
public sealed class ReadinessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("quiver-ready-").FullName;

    private QuiverPaths Paths => new(Path.Combine(_root, "home"));

    [Fact]
    public async Task Readyz_turns_ready_only_after_the_start_up_load_of_every_collection_index()
    {
        string database;
        using (var collection = CollectionStore.FromPaths(Paths).Create("m", new CollectionOptions(EmbeddingSpace.Raw(2, DistanceMetric.Dot))))
        {
            collection.Upsert([new Point("1", [1, 0]), new Point("2", [0, 1])]);
            database = collection.DatabasePath;
        }

        SqliteConnection.ClearAllPools();

        // An exclusive lock on the database holds the server's start-up load of the collection until it is let go.
        var holder = new SqliteConnection($"Data Source={database};Pooling=False");
        holder.Open();
        using (var command = holder.CreateCommand())
        {
            command.CommandText = "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; SELECT COUNT(*) FROM points;";
            command.ExecuteScalar();
        }

        await using var app = QuiverServer.Build(new ServerOptions { Paths = Paths, Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
        var collections = app.Services.GetRequiredService<ServedCollections>();
        try
        {
            using var held = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            Assert.Equal(503, (int)held.StatusCode);
            Assert.Equal("not ready: loading collection indexes (0 of 1 loaded)", await held.Content.ReadAsStringAsync());
        }
        finally
        {
            holder.Dispose();
        }

        var deadline = DateTime.UtcNow.AddSeconds(25);
        var body = await Readyz(client);
        while (body != "all shards are ready" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            body = await Readyz(client);
        }

        Assert.Equal("all shards are ready", body);

        // Loaded in the background, with no request for it: a first search does not pay for the index.
        var opened = Assert.Single(collections.Opened);
        Assert.Equal("m", opened.Name);
        Assert.Equal(2, opened.InspectIndex().LivePoints);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_is_not_ready_and_the_answer_names_no_path()
    {
        Directory.CreateDirectory(Paths.Home);
        await File.WriteAllTextAsync(Paths.Collections, "a file where the collections folder should be");

        await using var app = QuiverServer.Build(new ServerOptions { Paths = Paths, Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(503, (int)response.StatusCode);
        Assert.StartsWith("not ready: the store cannot be written: ", body, StringComparison.Ordinal);
        Assert.Contains("$QUIVER_HOME/collections", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_root, body, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public void Readiness_counts_the_collections_loaded_against_those_found()
    {
        var readiness = new StoreReadiness();
        Assert.False(readiness.Loaded);
        Assert.Equal("the store's collections have not been listed yet", readiness.Pending);
        readiness.Start(2);
        readiness.Advance();
        Assert.False(readiness.Loaded);
        Assert.Equal("loading collection indexes (1 of 2 loaded)", readiness.Pending);
        readiness.Advance();
        Assert.True(readiness.Loaded);
    }

    private static async Task<string> Readyz(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Leftover scratch files never fail a test.
        }
    }
}
