using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;

namespace Quiver.Cluster.Bench;

/// <summary>
/// The processes of bench/cluster-local.sh: a silo (Redis membership on loopback), an ingest client that records
/// every acknowledged point id, and a check that every recorded id is present and found by exact search.
/// </summary>
internal static class LocalCluster
{
    private const int Dimensions = 64;

    public static async Task<int> Silo(string[] args)
    {
        var options = new ClusterHostOptions(args[1], Int(args[2]), Int(args[3]), args[4], args[5]);
        using var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseQuiverSilo(options)
            .Build();
        await host.RunAsync();
        return 0;
    }

    public static async Task<int> Ingest(string[] args)
    {
        var (redis, acknowledged, count) = (args[1], args[2], Int(args[3]));
        using var host = await Client(redis);
        var grains = host.Services.GetRequiredService<IClusterClient>();
        var collection = await DistributedCollection.CreateAsync(grains, "ingest", new DistributedCollectionOptions(EmbeddingSpace.Raw(Dimensions, DistanceMetric.Cosine), Shards: 3, ReplicationFactor: 2));
        await using var log = new StreamWriter(acknowledged, append: false);
        var failed = 0;
        for (var start = 0; start < count; start += 50)
        {
            var batch = Enumerable.Range(start, Math.Min(50, count - start)).Select(i => new Point($"p{i}", Vector(i))).ToList();
            try
            {
                await collection.UpsertAsync(batch);
                foreach (var point in batch)
                {
                    await log.WriteLineAsync(point.Id);
                }

                await log.FlushAsync();
            }
            catch (Quiver.Core.QuiverException e)
            {
                failed++;
                Console.Error.WriteLine($"batch at {start} not acknowledged: {e.Message}");
            }

            if (start % 1000 == 0)
            {
                Console.WriteLine($"ingest: {start + batch.Count} points sent, {failed} batches refused");
            }
        }

        Console.WriteLine($"ingest done: {failed} batches refused");
        return 0;
    }

    public static async Task<int> Verify(string[] args)
    {
        var (redis, acknowledged) = (args[1], args[2]);
        using var host = await Client(redis);
        var grains = host.Services.GetRequiredService<IClusterClient>();
        var collection = await DistributedCollection.OpenAsync(grains, "ingest");
        var ids = File.ReadAllLines(acknowledged).Where(l => l.Length > 0).ToList();
        var found = await collection.GetAsync(ids, withVectors: false);
        var missing = ids.Count - found.Count;
        var searched = 0;
        foreach (var id in ids.Where((_, i) => i % 97 == 0))
        {
            var hit = await collection.SearchAsync(Vector(int.Parse(id[1..], CultureInfo.InvariantCulture)), 1, exact: true);
            searched += hit.Count == 1 && hit[0].Id == id ? 1 : 0;
        }

        var sampled = ids.Where((_, i) => i % 97 == 0).Count();
        foreach (var status in await collection.InspectAsync())
        {
            Console.WriteLine($"shard {status.Shard} replica {status.Replica} on {status.Silo}: {status.State}{(status.Primary ? " (primary)" : string.Empty)}, operation {status.Operation?.ToString(CultureInfo.InvariantCulture) ?? "?"}, lag {status.Lag?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        }

        Console.WriteLine($"verify: {ids.Count} acknowledged, {found.Count} present, {missing} missing; {searched} of {sampled} sampled found first by exact search; count {await collection.CountAsync()}");
        return missing == 0 && searched == sampled ? 0 : 1;
    }

    private static async Task<IHost> Client(string redis)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseQuiverClusterClient(redis)
            .Build();
        await host.StartAsync();
        return host;
    }

    // A point's vector follows from its number, so the check can search for it without the ingest's data.
    private static float[] Vector(int i)
    {
        var random = new Random(i);
        return Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
