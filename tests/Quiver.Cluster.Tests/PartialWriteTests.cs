using System.Text.Json.Nodes;
using Quiver.Cluster.Grains;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.Cluster.Tests;

/// <summary>
/// A silo killed under two collections: a batch spanning shards is applied on the shards that still have a primary and
/// the error names the ids acknowledged; deletes by filter and payload edits made while the silo is away reach its
/// replicas by replay from the log when it returns.
/// </summary>
public sealed class PartialWriteTests(ThreeSiloCluster cluster) : IClassFixture<ThreeSiloCluster>, IDisposable
{
    private const int Dimensions = 6;
    private readonly string _single = Path.Combine(Path.GetTempPath(), "quiver-cluster-tests", "single-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_single))
        {
            Directory.Delete(_single, recursive: true);
        }
    }

    [Fact]
    public async Task A_batch_over_a_shard_without_primary_names_the_acknowledged_ids_and_edits_made_meanwhile_replay_on_return()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Euclidean);
        var lone = await DistributedCollection.CreateAsync(cluster.Client, "lone", new DistributedCollectionOptions(space, Shards: 3, ReplicationFactor: 1));
        var replayed = await DistributedCollection.CreateAsync(cluster.Client, "replayed", new DistributedCollectionOptions(space, Shards: 3, ReplicationFactor: 2));
        using var single = new CollectionStore(_single).Create("replayed", new CollectionOptions(space));
        var points = TestPoints.Make(120, Dimensions, seed: 21);
        await lone.UpsertAsync(points);
        await replayed.UpsertAsync(points);
        single.Upsert(points);

        var victim = cluster.Cluster.Silos[^1];
        await cluster.Cluster.KillSiloAsync(victim);

        // One shard of "lone" had its only replica on the killed silo: that part of the batch is refused, the rest stays.
        var batch = TestPoints.Make(30, Dimensions, seed: 22, from: 1000);
        var lost = Enumerable.Range(0, 3).Where(s => lone.Layout.Shards[s].Replicas[0].Silo == victim.Name).ToHashSet();
        Assert.Single(lost);
        var partial = await Assert.ThrowsAsync<PartialWriteException>(() => lone.UpsertAsync(batch));
        var expectedLost = batch.Where(p => lost.Contains(DistributedCollection.ShardOf(p.Id, 3))).Select(p => p.Id).ToList();
        var expectedKept = batch.Select(p => p.Id).Except(expectedLost).ToList();
        Assert.NotEmpty(expectedKept);
        Assert.Equal(expectedKept.Order(StringComparer.Ordinal), partial.Acknowledged.Order(StringComparer.Ordinal));
        Assert.Equal(expectedLost.Order(StringComparer.Ordinal), partial.NotAcknowledged.Order(StringComparer.Ordinal));
        Assert.Equal(lost, partial.FailedShards.ToHashSet());
        Assert.Contains("were acknowledged", partial.Message, StringComparison.Ordinal);
        Assert.Contains(expectedKept[0], partial.Message, StringComparison.Ordinal);
        Assert.Equal(expectedKept.Count, (await lone.GetAsync(expectedKept)).Count);

        // "replayed" keeps a live replica of every shard: deletes by filter and payload edits go on without the silo.
        var group1 = PayloadFilter.Equal("group", JsonValue.Create(1));
        await replayed.DeleteAsync(group1);
        single.Delete(group1);
        var group2 = PayloadFilter.Equal("group", JsonValue.Create(2));
        await replayed.EditPayloadAsync(group2, PayloadChange.Set(new JsonObject { ["moved"] = "yes" }));
        single.EditPayload(null, group2, current =>
        {
            var merged = (JsonObject)current!.DeepClone();
            merged["moved"] = "yes";
            return merged;
        });
        await replayed.EditPayloadAsync(["p0", "p4"], PayloadChange.Clear());
        single.EditPayload(["p0", "p4"], null, _ => null);

        // The silo returns; its replicas replay what they missed and then hold what the single collection holds.
        await cluster.Cluster.StartSiloAsync(victim.InstanceNumber, cluster.Cluster.Options);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<ReplicaStatus> statuses;
        do
        {
            await Task.Delay(500);
            try
            {
                await replayed.HealAsync();
            }
            catch (Core.QuiverException)
            {
                // The collection grain may be moving off the silo that went; the next round asks again.
            }

            statuses = await replayed.InspectAsync();
        }
        while (statuses.Any(s => s.State != ReplicaState.Live) && DateTime.UtcNow < deadline);

        Assert.All(statuses, s => Assert.Equal(ReplicaState.Live, s.State));
        var stored = single.Scroll(1000, null, null, withVectors: true).Points;
        for (var s = 0; s < 3; s++)
        {
            var shard = s;
            var mine = Dump(stored.Where(p => DistributedCollection.ShardOf(p.Id, 3) == shard));
            foreach (var replica in replayed.Layout.Shards[s].Replicas)
            {
                var page = await cluster.Client.GetGrain<IShardReplicaGrain>(replica.Key).Scroll(1000, null, null, withVectors: true);
                Assert.Equal(mine, Dump(page.Points.Select(p => p.ToPoint())));
            }
        }
    }

    private static List<string> Dump(IEnumerable<Point> points) =>
        [.. points.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => $"{p.Id}|{p.Payload?.ToJsonString()}|{p.Text}|{string.Join(',', p.Vector)}")];
}
