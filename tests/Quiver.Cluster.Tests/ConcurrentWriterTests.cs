using System.Text.Json.Nodes;
using Quiver.Cluster.Grains;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;

namespace Quiver.Cluster.Tests;

/// <summary>Writers racing on the same ids: each shard's primary orders their writes, so every replica ends identical.</summary>
public sealed class ConcurrentWriterTests(ThreeSiloCluster cluster) : IClassFixture<ThreeSiloCluster>
{
    private const int Dimensions = 8;

    [Fact]
    public async Task Concurrent_writers_to_the_same_ids_leave_every_replica_of_a_shard_identical()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Euclidean);
        var collection = await DistributedCollection.CreateAsync(cluster.Client, "race", new DistributedCollectionOptions(space, Shards: 2, ReplicationFactor: 3));

        async Task Writer(int writer)
        {
            var random = new Random(writer);
            for (var batch = 0; batch < 15; batch++)
            {
                var ids = Enumerable.Range(0, 100).OrderBy(_ => random.Next()).Take(30);
                await collection.UpsertAsync(ids.Select(i => new Point(
                    $"p{i}", TestPoints.Query(Dimensions, random.Next()), new JsonObject { ["writer"] = writer, ["batch"] = batch })).ToList());
                if (batch % 5 == 4)
                {
                    await collection.DeleteAsync(ids.Take(3).Select(i => $"p{i}").ToList());
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(Writer));

        var total = 0;
        foreach (var shard in collection.Layout.Shards)
        {
            var copies = new List<string>();
            foreach (var replica in shard.Replicas)
            {
                var page = await cluster.Client.GetGrain<IShardReplicaGrain>(replica.Key).Scroll(1000, null, null, withVectors: true);
                Assert.Null(page.NextOffset);
                copies.Add(string.Join('\n', page.Points.Select(p => $"{p.Id} {string.Join(',', p.Vector)} {p.Payload}")));
                total = Math.Max(total, page.Points.Length);
            }

            Assert.Single(copies.Distinct());
        }

        Assert.InRange(await collection.CountAsync(), 50, 100);
        Assert.All(await collection.InspectAsync(), s => Assert.Equal(0, s.Lag));
    }

    [Fact]
    public async Task A_replica_whose_log_diverged_is_copied_whole_from_its_primary()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Cosine);
        var collection = await DistributedCollection.CreateAsync(cluster.Client, "diverged", new DistributedCollectionOptions(space, Shards: 1, ReplicationFactor: 2));
        await collection.UpsertAsync(TestPoints.Make(40, Dimensions, seed: 5));
        var shard = collection.Layout.Shards[0];
        var follower = cluster.Client.GetGrain<IShardReplicaGrain>(shard.Replicas[1 - shard.Primary].Key);

        // A write only the follower logged, numbered by a primary of a later epoch that never existed for the
        // others: what a failed primary leaves behind. The real primary's next write then conflicts with it.
        var position = await follower.Position();
        var rogue = new Quiver.Cluster.Replication.ShardOperation(position.Number + 1, 99, [new Wire.WirePoint("rogue", TestPoints.Query(Dimensions, 1), null, null)], null);
        await follower.Apply(rogue, shard.PrimaryReplica.Key);
        await collection.UpsertAsync(TestPoints.Make(10, Dimensions, seed: 6, from: 40));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<ReplicaStatus> statuses;
        do
        {
            await collection.HealAsync();
            statuses = await collection.InspectAsync();
        }
        while (statuses.Any(s => s.State != ReplicaState.Live || s.Lag != 0) && DateTime.UtcNow < deadline);

        Assert.All(statuses, s => Assert.Equal((ReplicaState.Live, 0L), (s.State, s.Lag!.Value)));
        var copies = await Task.WhenAll(shard.Replicas.Select(r => cluster.Client.GetGrain<IShardReplicaGrain>(r.Key).Scroll(1000, null, null, withVectors: true)));
        Assert.All(copies, c => Assert.Equal(50, c.Points.Length));
        Assert.All(copies, c => Assert.DoesNotContain(c.Points, p => p.Id == "rogue"));
        Assert.Equal(copies[0].Points.Select(p => p.Id), copies[1].Points.Select(p => p.Id));
    }
}
