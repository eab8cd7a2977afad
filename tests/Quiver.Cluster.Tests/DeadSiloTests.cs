using Quiver.Cluster.Grains;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Cluster.Tests;

/// <summary>A silo killed for good: past the grace period its replicas are rebuilt on the silos that remain.</summary>
public sealed class DeadSiloTests(ShortGraceCluster cluster) : IClassFixture<ShortGraceCluster>
{
    private const int Dimensions = 8;

    [Fact]
    public async Task Replicas_of_a_silo_gone_past_the_grace_period_are_rebuilt_on_the_remaining_silos()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Cosine);
        var collection = await DistributedCollection.CreateAsync(cluster.Client, "rebuilt", new DistributedCollectionOptions(space, Shards: 3, ReplicationFactor: 2));
        var points = TestPoints.Make(300, Dimensions, seed: 7);
        foreach (var batch in points.Chunk(25))
        {
            await collection.UpsertAsync(batch);
        }

        var victim = cluster.Cluster.Silos[^1];
        Assert.Contains((await collection.InspectAsync()), r => r.Silo == victim.Name);
        await cluster.Cluster.KillSiloAsync(victim);

        // Writes go on while the silo is gone; they must reach the rebuilt replicas too.
        var later = TestPoints.Make(60, Dimensions, seed: 8, from: 300);
        foreach (var batch in later.Chunk(20))
        {
            await collection.UpsertAsync(batch);
        }

        var grain = cluster.Client.GetGrain<ICollectionGrain>("rebuilt");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        CollectionLayout? layout = null;
        do
        {
            await Task.Delay(500);
            try
            {
                layout = await grain.Heal();
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                // The collection grain may be moving off the silo that went; the next round asks again.
            }
        }
        while ((layout is null || !FullyReplicatedWithout(layout, victim.Name)) && DateTime.UtcNow < deadline);

        Assert.NotNull(layout);
        Assert.True(FullyReplicatedWithout(layout, victim.Name), string.Join("; ", layout.Shards.SelectMany(s => s.Replicas).Select(r => $"{r.Key} {r.State}")));
        Assert.Equal(points.Count + later.Count, await ReplicaData.AssertEqual(cluster.Client, layout));

        var all = points.Concat(later).ToList();
        var found = await collection.GetAsync(all.Select(p => p.Id).ToList());
        Assert.Equal(all.Count, found.Count);
        Assert.Equal(all.Count, await collection.CountAsync());
        foreach (var p in all.Take(20))
        {
            Assert.Equal(p.Id, (await collection.SearchAsync(p.Vector, 1, exact: true))[0].Id);
        }
    }

    // Every shard back to two live replicas, on two different silos, none of them the dead one.
    private static bool FullyReplicatedWithout(CollectionLayout layout, string dead) =>
        layout.Shards.All(s => s.Replicas.Length == 2 && s.Replicas.All(r => r.State == ReplicaState.Live && r.Silo != dead) && s.Replicas[0].Silo != s.Replicas[1].Silo);
}
