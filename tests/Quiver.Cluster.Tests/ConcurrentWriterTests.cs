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
}
