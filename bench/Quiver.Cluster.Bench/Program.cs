// Cluster throughput and catch-up on in-process silos (one machine): upserts and searches with 1 silo against 3,
// replication factor 1 against 2, and the time a replica takes to replay the writes it missed while its silo was
// down. Usage: dotnet run -c Release --project bench/Quiver.Cluster.Bench [points] [dims]. The same over HTTP with
// separate `quiver serve --cluster` processes is bench/cluster-local.sh.
using System.Diagnostics;
using Orleans.Configuration;
using Orleans.TestingHost;
using Quiver.Cluster;
using Quiver.Cluster.Grains;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Index;
using Quiver.Store.Index.Quantization;

var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5000;
var dims = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 384;
const int Batch = 100;
const int Queries = 200;
var root = Path.Combine(Path.GetTempPath(), "quiver-cluster-bench", Guid.NewGuid().ToString("N"));
var random = new Random(42);
var points = Enumerable.Range(0, count).Select(i => new Point($"p{i}", Vector(random, dims))).ToList();
var queries = Enumerable.Range(0, Queries).Select(_ => Vector(random, dims)).ToArray();
Console.WriteLine($"{count} points of {dims} dims in batches of {Batch}, {Queries} queries (k = 10), {Environment.ProcessorCount} cores");

double? baseUpsert = null, baseSearch = null;
foreach (var (silos, rf) in new[] { (1, 1), (3, 1), (3, 2) })
{
    await using var cluster = await Start(silos, Path.Combine(root, $"{silos}-{rf}"));
    var collection = await DistributedCollection.CreateAsync(cluster.Client, "bench", new DistributedCollectionOptions(EmbeddingSpace.Raw(dims, DistanceMetric.Cosine), Shards: 6, ReplicationFactor: rf));
    var clock = Stopwatch.StartNew();
    foreach (var chunk in points.Chunk(Batch))
    {
        await collection.UpsertAsync(chunk);
    }

    var upserts = count / clock.Elapsed.TotalSeconds;
    // Each replica builds its in-memory index on its first search: one untimed pass over the queries warms them all.
    foreach (var query in queries)
    {
        await collection.SearchAsync(query, 10);
    }

    // The machine is shared: the median of three timed passes.
    var passes = new List<double>();
    for (var pass = 0; pass < 3; pass++)
    {
        clock.Restart();
        foreach (var query in queries)
        {
            await collection.SearchAsync(query, 10);
        }

        passes.Add(Queries / clock.Elapsed.TotalSeconds);
    }

    var searches = passes.Order().ElementAt(1);
    baseUpsert ??= upserts;
    baseSearch ??= searches;
    Console.WriteLine($"silos {silos}, RF {rf}: upsert {upserts,8:F0} points/s ({upserts / baseUpsert:F2}x), search {searches,6:F0} queries/s ({searches / baseSearch:F2}x)");
}

// Catch-up: kill a silo, write while it is down, bring it back and time until its replicas serve again.
{
    await using var cluster = await Start(3, Path.Combine(root, "catch-up"));
    var collection = await DistributedCollection.CreateAsync(cluster.Client, "catchup", new DistributedCollectionOptions(EmbeddingSpace.Raw(dims, DistanceMetric.Cosine), Shards: 3, ReplicationFactor: 2));
    var victim = cluster.Silos[^1];
    await cluster.KillSiloAsync(victim);
    // 10,000 write operations of one point each, from 8 writers at once, while the silo is down.
    var missed = 0;
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < 10_000)
        {
            await collection.UpsertAsync([points[i % points.Count] with { Id = $"m{i}" }]);
            Interlocked.Increment(ref missed);
        }
    }));

    var lagging = (await collection.InspectAsync()).Where(s => s.State == ReplicaState.Lagging).ToList();
    await cluster.StartSiloAsync(victim.InstanceNumber, cluster.Options);
    var clock = Stopwatch.StartNew();
    while ((await collection.InspectAsync()).Any(s => s.State != ReplicaState.Live))
    {
        try
        {
            await collection.HealAsync();
        }
        catch (Quiver.Core.QuiverException)
        {
            await Task.Delay(100);
        }
    }

    Console.WriteLine($"catch-up: {lagging.Count} replicas that missed {missed} single-point write operations served again after {clock.Elapsed.TotalSeconds:F1} s");
}

// Per-shard memory for the sizing table: one shard's index (graph links, vectors, codes) as `quiver inspect` reports
// it, past the exact-search threshold so the graph is built.
foreach (var shardDims in new[] { 384, 768 })
{
    foreach (var kind in new[] { QuantizationKind.None, QuantizationKind.Int8, QuantizationKind.Binary })
    {
        var shardPoints = Enumerable.Range(0, 11_000).Select(i => new Point($"s{i}", Vector(random, shardDims))).ToList();
        var store = new CollectionStore(Path.Combine(root, "shard"));
        var name = $"d{shardDims}-{kind}".ToLowerInvariant();
        using var shard = store.Create(name, new CollectionOptions(EmbeddingSpace.Raw(shardDims, DistanceMetric.Cosine), new IndexOptions { Quantization = kind }));
        foreach (var chunk in shardPoints.Chunk(1000))
        {
            shard.Upsert(chunk);
        }

        shard.Flush();
        var state = shard.InspectIndex();
        Console.WriteLine($"shard of {state.LivePoints} x {shardDims} dims, {kind}: {state.BytesPerVector:F0} bytes a vector in memory (codes {state.CodeBytesPerVector:F0}), graph in use: {state.GraphInUse}");
    }
}

Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
Directory.Delete(root, recursive: true);
return 0;

static float[] Vector(Random random, int dims) => Enumerable.Range(0, dims).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

static async Task<InProcessTestCluster> Start(int silos, string folder)
{
    var builder = new InProcessTestClusterBuilder((short)silos);
    builder.Options.ConfigureFileLogging = false;
    builder.ConfigureSilo((_, silo) => silo.AddQuiverCluster(folder).Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30)));
    var cluster = builder.Build();
    await cluster.DeployAsync();
    return cluster;
}
