using System.Collections.Concurrent;
using Quiver.Cluster.Grains;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Cluster.Tests;

/// <summary>A silo killed while two writers upsert: nothing acknowledged is lost, and its replicas catch up when it returns.</summary>
public sealed class FailoverTests(ThreeSiloCluster cluster) : IClassFixture<ThreeSiloCluster>
{
    private const int Dimensions = 8;

    [Fact]
    public async Task A_silo_killed_during_concurrent_writes_loses_no_acknowledged_point_and_catches_up_on_return()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Cosine);
        var collection = await DistributedCollection.CreateAsync(cluster.Client, "failover", new DistributedCollectionOptions(space, Shards: 3, ReplicationFactor: 2));
        var acknowledged = new ConcurrentDictionary<string, float[]>(StringComparer.Ordinal);
        var failures = 0;
        var victim = cluster.Cluster.Silos[^1];
        var killed = new TaskCompletionSource();

        async Task Writer(int writer)
        {
            for (var batch = 0; batch < 30; batch++)
            {
                var points = TestPoints.Make(20, Dimensions, seed: (writer * 1000) + batch, from: (writer * 100_000) + (batch * 20));
                try
                {
                    await collection.UpsertAsync(points);
                    foreach (var p in points)
                    {
                        acknowledged[p.Id] = p.Vector;
                    }
                }
                catch (Quiver.Core.QuiverException)
                {
                    Interlocked.Increment(ref failures);
                }

                if (writer == 0 && batch == 8)
                {
                    await cluster.Cluster.KillSiloAsync(victim);
                    killed.SetResult();
                }
            }
        }

        await Task.WhenAll(Writer(0), Writer(1));
        Assert.True(killed.Task.IsCompleted);

        // Every replica on the killed silo is out of service (at the latest after the collection grain's next round,
        // should the report of a failed write have been lost with the silo it ran on), and every shard still has a
        // live primary.
        var layout = (await cluster.Client.GetGrain<ICollectionGrain>("failover").Heal())!;
        Assert.All(layout.Shards.SelectMany(s => s.Replicas).Where(r => r.Silo == victim.Name), r => Assert.Equal(ReplicaState.Lagging, r.State));
        Assert.All(layout.Shards, s => Assert.NotEqual(victim.Name, s.PrimaryReplica.Silo));
        Assert.True(acknowledged.Count >= 400, $"only {acknowledged.Count} points were acknowledged ({failures} batches failed)");

        var found = await collection.GetAsync(acknowledged.Keys.ToList());
        Assert.Equal(acknowledged.Count, found.Count);
        // Cosine collections store vectors normalised: the direction is what must have survived.
        Assert.All(found, p => Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(acknowledged[p.Id], p.Vector) > 0.99999f, p.Id));
        Assert.Equal(acknowledged.Count, await collection.CountAsync());
        foreach (var id in acknowledged.Keys.Take(20))
        {
            Assert.Equal(id, (await collection.SearchAsync(acknowledged[id], 1, exact: true))[0].Id);
        }

        // The silo returns; its replicas replay what they missed from their primaries and serve again.
        var returned = await cluster.Cluster.StartSiloAsync(victim.InstanceNumber, cluster.Cluster.Options);
        Assert.Equal(victim.Name, returned.Name);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<ReplicaStatus> statuses;
        do
        {
            await Task.Delay(500);
            try
            {
                await collection.HealAsync();
            }
            catch (Quiver.Core.QuiverException)
            {
                // The collection grain may be moving off the silo that went; the next round asks again.
            }

            statuses = await collection.InspectAsync();
        }
        while (statuses.Any(s => s.State != ReplicaState.Live) && DateTime.UtcNow < deadline);

        Assert.All(statuses, s => Assert.Equal(ReplicaState.Live, s.State));
        Assert.All(statuses, s => Assert.Equal(0, s.Lag));
        foreach (var shard in layout.Shards)
        {
            var counts = await Task.WhenAll(shard.Replicas.Select(r => cluster.Client.GetGrain<IShardReplicaGrain>(r.Key).Count(null)));
            Assert.Single(counts.Distinct());
        }
    }
}
