using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Quiver.Cluster;

namespace Quiver.Server.Tests;

/// <summary>
/// Three servers in cluster mode, each hosting a silo (Orleans's development membership in the first, so no Redis is
/// needed), driven over Qdrant's REST routes: a distributed collection (3 shards, 2 replicas) created on one server,
/// written through another and read through the third must answer exactly as a single-node collection holding the
/// same points does.
/// </summary>
public sealed class ClusterApiTests : IAsyncLifetime
{
    private const int Dimensions = 8;
    private const int Points = 240;
    private readonly string _data = Directory.CreateTempSubdirectory("quiver-cluster-api-").FullName;
    private readonly List<ServerFixture> _servers = [];

    public async Task InitializeAsync()
    {
        var ports = FreePorts(6);
        for (var i = 0; i < 3; i++)
        {
            var silo = new ClusterHostOptions($"silo-{i + 1}", ports[2 * i], ports[(2 * i) + 1], Redis: null, _data, ClusterId: "api-test", PrimarySiloPort: ports[0]);
            _servers.Add(new ServerFixture(o => o with { Cluster = silo }));
        }

        // The layout grain places replicas on the silos it sees; wait until all three have joined.
        var management = _servers[0].App.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await management.GetHosts(onlyActive: true)).Count < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the three silos did not form a cluster within 60 s");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        for (var i = _servers.Count - 1; i >= 0; i--)
        {
            await _servers[i].DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder is harmless.
        }
    }

    [Fact]
    public async Task Metrics_show_each_distributed_collections_shards_and_every_replicas_silo_state_operation_and_lag()
    {
        var (a, b, c) = (_servers[0], _servers[1], _servers[2]);
        await a.Ok(a.Put("/collections/gauged", new { vectors = new { size = Dimensions, distance = "Dot" }, shard_number = 3, replication_factor = 2 }));
        var random = new Random(9);
        for (var batch = 0; batch < 2; batch++)
        {
            var points = Enumerable.Range(batch * 60, 60).Select(i => new { id = i, vector = Enumerable.Range(0, Dimensions).Select(_ => (float)random.NextDouble()).ToArray() }).ToArray();
            await b.Ok(b.Put("/collections/gauged/points", new { points }));
        }

        // Any server of the cluster reports every distributed collection, including one another server created. The
        // three servers share this process, so each one's exporter also hears the others' "Quiver.Server" meters: the
        // same series appear once per server, with the same values while nothing is written.
        var metrics = (await c.Client.GetStringAsync("/metrics")).Split('\n');
        string[] Lines(string name) => metrics.Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains("collection=\"gauged\"", StringComparison.Ordinal)).Distinct().ToArray();
        static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(3, Value(Assert.Single(Lines("quiver_cluster_shards"))));
        Assert.Equal(6, Value(Assert.Single(Lines("quiver_cluster_replicas"), l => l.Contains("state=\"any\"", StringComparison.Ordinal))));
        Assert.Equal(6, Value(Assert.Single(Lines("quiver_cluster_replicas"), l => l.Contains("state=\"live\"", StringComparison.Ordinal))));

        // Six replicas, two per silo, one primary per shard; each applied two operations (each batch reached every
        // shard) and lags by none.
        var live = Lines("quiver_cluster_replica_live");
        Assert.Equal(6, live.Length);
        Assert.All(live, l => Assert.Equal(1, Value(l)));
        Assert.Equal(3, live.Count(l => l.Contains("primary=\"true\"", StringComparison.Ordinal)));
        foreach (var silo in new[] { "silo-1", "silo-2", "silo-3" })
        {
            Assert.Equal(2, live.Count(l => l.Contains($"silo=\"{silo}\"", StringComparison.Ordinal)));
        }

        Assert.Equal(["0", "1", "2"], live.Select(l => System.Text.RegularExpressions.Regex.Match(l, "shard=\"(\\d+)\"").Groups[1].Value).Distinct().Order());
        var operations = Lines("quiver_cluster_replica_operation");
        Assert.Equal(6, operations.Length);
        Assert.All(operations, l => Assert.Equal(2, Value(l)));
        var lags = Lines("quiver_cluster_replica_lag");
        Assert.Equal(6, lags.Length);
        Assert.All(lags, l => Assert.Equal(0, Value(l)));

        // Already even over the three silos: a rebalance moves nothing. A single-node collection has nothing to move.
        var rebalanced = (await c.Ok(c.Post("/collections/gauged/rebalance", new { })))["result"]!;
        Assert.True(rebalanced["distributed"]!.GetValue<bool>());
        Assert.Equal(0, rebalanced["moved"]!.GetValue<int>());
        Assert.Equal("""{"silo-1":2,"silo-2":2,"silo-3":2}""", rebalanced["silos"]!.ToJsonString());
        await a.Ok(a.Put("/collections/local", new { vectors = new { size = Dimensions, distance = "Dot" } }));
        var single = (await a.Ok(a.Post("/collections/local/rebalance", new { })))["result"]!;
        Assert.False(single["distributed"]!.GetValue<bool>());
        var (status, _) = await a.Post("/collections/missing/rebalance", new { });
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task A_distributed_collection_over_REST_answers_as_a_single_node_collection_does()
    {
        var (a, b, c) = (_servers[0], _servers[1], _servers[2]);
        await a.Ok(a.Put("/collections/sharded", new { vectors = new { size = Dimensions, distance = "Cosine" }, shard_number = 3, replication_factor = 2 }));
        await a.Ok(a.Put("/collections/single", new { vectors = new { size = Dimensions, distance = "Cosine" } }));

        var random = new Random(5);
        var points = Enumerable.Range(0, Points).Select(i => new
        {
            id = i,
            vector = Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
            payload = new { group = i % 3 },
        }).ToList();
        foreach (var batch in points.Chunk(80))
        {
            await b.Ok(b.Put("/collections/sharded/points", new { points = batch }));
            await a.Ok(a.Put("/collections/single/points", new { points = batch }));
        }

        await b.Ok(b.Post("/collections/sharded/points/delete", new { points = new[] { 3, 50, 199 } }));
        await a.Ok(a.Post("/collections/single/points/delete", new { points = new[] { 3, 50, 199 } }));

        // Every server sees the collection, and its layout: 3 shards × 2 replicas over the three silos.
        var info = (await c.Ok(c.Get("/collections/sharded")))["result"]!;
        Assert.Equal(3, info["config"]!["params"]!["shard_number"]!.GetValue<int>());
        Assert.Equal(2, info["config"]!["params"]!["replication_factor"]!.GetValue<int>());
        Assert.Equal(Points - 3, info["points_count"]!.GetValue<long>());
        Assert.Equal(["silo-1", "silo-2", "silo-3"], info["quiver"]!["silos"]!.AsArray().Select(s => s!.GetValue<string>()));
        var replicas = info["quiver"]!["replicas"]!.AsArray();
        Assert.Equal(6, replicas.Count);
        Assert.All(replicas, r => Assert.Equal(0, r!["lag"]!.GetValue<long>()));

        // Exact search through the third server: the same ids, order and scores as the single-node collection.
        for (var q = 0; q < 5; q++)
        {
            var query = new
            {
                vector = Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
                limit = 12,
                with_payload = true,
                @params = new { exact = true },
            };
            var expected = Hits((await a.Ok(a.Post("/collections/single/points/search", query)))["result"]!);
            var actual = Hits((await c.Ok(c.Post("/collections/sharded/points/search", query)))["result"]!);
            Assert.Equal(12, expected.Count);
            Assert.Equal(expected, actual);

            var filtered = new { query = query.vector, limit = 5, filter = new { must = new[] { new { key = "group", match = new { value = 1 } } } }, @params = new { exact = true } };
            Assert.Equal(
                Hits((await a.Ok(a.Post("/collections/single/points/query", filtered)))["result"]!["points"]!),
                Hits((await c.Ok(c.Post("/collections/sharded/points/query", filtered)))["result"]!["points"]!));
        }

        // Count, with and without a filter.
        Assert.Equal(Points - 3, (await c.Ok(c.Post("/collections/sharded/points/count", new { })))["result"]!["count"]!.GetValue<long>());
        var group = new { filter = new { must = new[] { new { key = "group", match = new { value = 2 } } } } };
        Assert.Equal(
            (await a.Ok(a.Post("/collections/single/points/count", group)))["result"]!["count"]!.GetValue<long>(),
            (await c.Ok(c.Post("/collections/sharded/points/count", group)))["result"]!["count"]!.GetValue<long>());

        // Scroll page by page: the same ids in the same order, and the same offsets, as the single-node collection.
        Assert.Equal(await ScrollAll(a, "single"), await ScrollAll(c, "sharded"));

        // Get by id, with vectors (as stored: Cosine collections keep them normalised, on both sides).
        var ask = new { ids = new[] { 7, 3, 100 }, with_vector = true };
        var got = (await a.Ok(a.Post("/collections/sharded/points", ask)))["result"]!.AsArray();
        var single = (await a.Ok(a.Post("/collections/single/points", ask)))["result"]!.AsArray();
        Assert.Equal([7, 100], got.Select(p => p!["id"]!.GetValue<int>()));
        Assert.Equal(single.ToJsonString(), got.ToJsonString());
        Assert.Equal(404, (await a.Get("/collections/sharded/points/3")).Status);

        // A route not yet served on a distributed collection says so, naming it.
        var (status, refused) = await a.Put("/collections/sharded/index", new { field_name = "group", field_schema = "integer" });
        Assert.Equal(400, status);
        Assert.Contains("create_field_index", refused!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("not yet supported in cluster mode", refused.ToJsonString(), StringComparison.Ordinal);

        // A second create of the same name on another server is refused; the collection is unchanged.
        Assert.Equal(400, (await b.Put("/collections/sharded", new { vectors = new { size = Dimensions, distance = "Cosine" } })).Status);
        Assert.Equal(Points - 3, (await b.Ok(b.Post("/collections/sharded/points/count", new { })))["result"]!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_shard_with_no_live_replica_is_a_503_to_retry_not_a_400()
    {
        var (a, c) = (_servers[0], _servers[2]);
        await a.Ok(a.Put("/collections/single-copy", new { vectors = new { size = Dimensions, distance = "Cosine" }, shard_number = 3, replication_factor = 1 }));
        var layout = (await a.Ok(a.Get("/collections/single-copy")))["result"]!["quiver"]!["replicas"]!.AsArray();
        Assert.Contains(layout, r => r!["silo"]!.GetValue<string>() == "silo-3");

        // The third server stops, and with it the only replica of one shard.
        await c.DisposeAsync();
        _servers.Remove(c);

        var random = new Random(9);
        var points = Enumerable.Range(0, 60).Select(i => new { id = i, vector = Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray() });
        var (status, body) = await a.Put("/collections/single-copy/points", new { points });
        Assert.True(status == 503, body?.ToJsonString());
        Assert.Contains("found no live primary", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("silo-3", body["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await a.Post("/collections/single-copy/points/count", new { });
        Assert.True(status == 503, body?.ToJsonString());
        Assert.Contains("has no replica that answers", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_upserts_deletes_by_filter_payload_edits_and_drop_over_REST_match_a_single_node_collection()
    {
        var (a, b, c) = (_servers[0], _servers[1], _servers[2]);
        await a.Ok(a.Put("/collections/edited", new { vectors = new { size = Dimensions, distance = "Dot" }, shard_number = 3, replication_factor = 2 }));
        await a.Ok(a.Put("/collections/plain", new { vectors = new { size = Dimensions, distance = "Dot" } }));

        // Qdrant's batch form, through two servers; its bad forms are refused as the single-node route refuses them.
        var random = new Random(9);
        var ids = Enumerable.Range(0, 90).ToArray();
        var batch = new
        {
            batch = new
            {
                ids,
                vectors = ids.Select(_ => Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()).ToArray(),
                payloads = ids.Select(i => new { group = i % 3, rank = i }).ToArray(),
            },
        };
        await b.Ok(b.Put("/collections/edited/points", batch));
        await a.Ok(a.Put("/collections/plain/points", batch));
        foreach (var bad in new object[]
        {
            new { batch = new { ids = new[] { 1, 2 }, vectors = new[] { new float[Dimensions] } } },
            new { batch = new { vectors = new[] { new float[Dimensions] } } },
            new { other = 1 },
        })
        {
            var single = await a.Put("/collections/plain/points", bad);
            var sharded = await b.Put("/collections/edited/points", bad);
            Assert.Equal(400, sharded.Status);
            Assert.Equal(single.Status, sharded.Status);
            Assert.Equal(single.Body!["status"]!.ToJsonString(), sharded.Body!["status"]!.ToJsonString());
        }

        var (shortStatus, shortBody) = await b.Put("/collections/edited/points", new { batch = new { ids = new[] { 1 }, vectors = new[] { new float[Dimensions - 1] } } });
        Assert.Equal(400, shortStatus);
        Assert.Contains($"{Dimensions - 1} dimensions", shortBody!.ToJsonString(), StringComparison.Ordinal);

        // The same deletes and payload edits on both, by ids and by filter.
        var edits = new (string Method, string Route, object Body)[]
        {
            ("POST", "points/delete", new { filter = new { must = new[] { new { key = "group", match = new { value = 1 } } } } }),
            ("POST", "points/payload", new { payload = new { tag = "a" }, points = new[] { 0, 3, 6, 1, 999 } }),
            ("POST", "points/payload", new { payload = new { tag = "b", rank = 0 }, filter = new { must = new[] { new { key = "rank", range = new { gte = 30, lt = 60 } } } } }),
            ("PUT", "points/payload", new { payload = new { only = true }, points = new[] { 9, 12 } }),
            ("POST", "points/payload/delete", new { keys = new[] { "rank" }, filter = new { must = new[] { new { key = "group", match = new { value = 2 } } } } }),
            ("POST", "points/payload/clear", new { points = new[] { 15, 18 } }),
            ("POST", "points/delete", new { points = new[] { 21, 24 } }),
        };
        foreach (var (method, route, body) in edits)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(body);
            var m = new HttpMethod(method);
            await c.Ok(c.Send(m, $"/collections/edited/{route}", json));
            await a.Ok(a.Send(m, $"/collections/plain/{route}", json));
        }

        Assert.Equal(await ScrollRecords(a, "plain"), await ScrollRecords(b, "edited"));
        var tagged = new { filter = new { must = new[] { new { key = "tag", match = new { value = "b" } } } } };
        var count = (await a.Ok(a.Post("/collections/plain/points/count", tagged)))["result"]!["count"]!.GetValue<long>();
        Assert.True(count > 0);
        Assert.Equal(count, (await c.Ok(c.Post("/collections/edited/points/count", tagged)))["result"]!["count"]!.GetValue<long>());

        // Every server lists the distributed collection next to its own local ones.
        Assert.Equal(["plain", "edited"], await Names(a));
        Assert.Equal(["edited"], await Names(c));

        // Deleted through one server: gone for all, its replica folders too, and the name can be created again.
        Assert.True((await c.Ok(c.Send(HttpMethod.Delete, "/collections/edited")))["result"]!.GetValue<bool>());
        Assert.Equal(["plain"], await Names(a));
        Assert.False((await b.Ok(b.Get("/collections/edited/exists")))["result"]!["exists"]!.GetValue<bool>());
        Assert.Equal(404, (await a.Get("/collections/edited")).Status);
        Assert.Empty(Directory.GetDirectories(_data, "edited_*", SearchOption.AllDirectories));
        await b.Ok(b.Put("/collections/edited", new { vectors = new { size = Dimensions, distance = "Cosine" }, shard_number = 2, replication_factor = 3 }));
        Assert.Equal(0, (await a.Ok(a.Post("/collections/edited/points/count", new { })))["result"]!["count"]!.GetValue<long>());
        Assert.Equal(2, (await c.Ok(c.Get("/collections/edited")))["result"]!["config"]!["params"]!["shard_number"]!.GetValue<int>());
    }

    private static async Task<List<string>> Names(ServerFixture server) =>
        [.. (await server.Ok(server.Get("/collections")))["result"]!["collections"]!.AsArray().Select(n => n!["name"]!.GetValue<string>())];

    private static async Task<List<string>> ScrollRecords(ServerFixture server, string collection)
    {
        var page = (await server.Ok(server.Post($"/collections/{collection}/points/scroll", new { limit = 200, with_payload = true, with_vector = true })))["result"]!;
        Assert.Null(page["next_page_offset"]);
        return [.. page["points"]!.AsArray().Select(p => p!.ToJsonString())];
    }

    private static List<(int Id, float Score)> Hits(JsonNode result) =>
        [.. result.AsArray().Select(h => (h!["id"]!.GetValue<int>(), h["score"]!.GetValue<float>()))];

    private static async Task<List<List<int>>> ScrollAll(ServerFixture server, string collection)
    {
        var pages = new List<List<int>>();
        JsonNode? offset = null;
        do
        {
            var body = offset is null ? new JsonObject { ["limit"] = 50 } : new JsonObject { ["limit"] = 50, ["offset"] = offset.DeepClone() };
            var page = (await server.Ok(server.Post($"/collections/{collection}/points/scroll", body.ToJsonString())))["result"]!;
            pages.Add([.. page["points"]!.AsArray().Select(p => p!["id"]!.GetValue<int>())]);
            offset = page["next_page_offset"];
        }
        while (offset is not null);
        return pages;
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
