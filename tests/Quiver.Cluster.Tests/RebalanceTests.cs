using System.Collections.Concurrent;
using Quiver.Cluster.Grains;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Cluster.Tests;

/// <summary>A fourth silo joins and the collection is rebalanced onto it while a writer and a reader keep going.</summary>
public sealed class RebalanceTests(LongGraceCluster cluster) : IClassFixture<LongGraceCluster>
{
    private const int Dimensions = 8;

    [Fact]
    public async Task Rebalancing_onto_a_new_silo_spreads_replicas_evenly_while_writes_and_reads_go_on_and_keeps_every_point()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Euclidean);
        var collection = await DistributedCollection.CreateAsync(cluster.Client, "spread", new DistributedCollectionOptions(space, Shards: 4, ReplicationFactor: 2));
        var acknowledged = new ConcurrentDictionary<string, float[]>(StringComparer.Ordinal);
        for (var batch = 0; batch < 10; batch++)
        {
            var points = TestPoints.Make(20, Dimensions, seed: batch, from: batch * 20);
            await collection.UpsertAsync(points);
            foreach (var p in points)
            {
                acknowledged[p.Id] = p.Vector;
            }
        }

        // Trimmed logs: the new replicas cannot replay from operation 1 and are copied whole, then replayed forward.
        await cluster.Client.GetGrain<ICollectionGrain>("spread").TrimLogs();
        var before = (await cluster.Client.GetGrain<ICollectionGrain>("spread").Layout())!;

        var added = await cluster.Cluster.StartAdditionalSiloAsync();
        await cluster.Cluster.WaitForLivenessToStabilizeAsync();

        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentBag<Exception>();
        var writer = Task.Run(async () =>
        {
            for (var batch = 10; !stop.IsCancellationRequested; batch++)
            {
                var points = TestPoints.Make(5, Dimensions, seed: batch, from: batch * 20);
                try
                {
                    await collection.UpsertAsync(points);
                    foreach (var p in points)
                    {
                        acknowledged[p.Id] = p.Vector;
                    }
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        });
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var ids = acknowledged.Keys.Take(50).ToList();
                try
                {
                    Assert.Equal(ids.Count, (await collection.GetAsync(ids)).Count);
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        });

        // The new silo may take a moment to be seen by the silo the collection grain runs on.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await collection.RebalanceAsync();
        }
        while (collection.Layout.Shards.All(s => s.Replicas.All(r => r.Silo != added.Name)) && DateTime.UtcNow < deadline && await Delay());

        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(writer, reader);
        Assert.Empty(failures);

        // 8 replicas over 4 silos: two each, replicas of a shard on different silos, all live and equal.
        var layout = (await cluster.Client.GetGrain<ICollectionGrain>("spread").Layout())!;
        var load = layout.Shards.SelectMany(s => s.Replicas).GroupBy(r => r.Silo).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, load.Count);
        Assert.All(load.Values, count => Assert.Equal(2, count));
        Assert.True(layout.Version > before.Version);
        Assert.Equal(acknowledged.Count, await ReplicaData.AssertEqual(cluster.Client, layout));

        // Every acknowledged point is found with its vector, and the moved replicas' files are gone.
        var found = await collection.GetAsync(acknowledged.Keys.ToList());
        Assert.Equal(acknowledged.Count, found.Count);
        Assert.All(found, p => Assert.Equal(acknowledged[p.Id], p.Vector));
        Assert.Equal(acknowledged.Count, await collection.CountAsync());
        foreach (var id in acknowledged.Keys.Take(20))
        {
            Assert.Equal(id, (await collection.SearchAsync(acknowledged[id], 1, exact: true))[0].Id);
        }

        Assert.Equal(8, cluster.ReplicaFolders().Count);

        // Balanced already: a second rebalance moves nothing.
        await collection.RebalanceAsync();
        Assert.Equal(layout.Version, collection.Layout.Version);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(500);
        return true;
    }
}
