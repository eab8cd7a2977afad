using Quiver.Cluster.Grains;
using Quiver.Cluster.Wire;

namespace Quiver.Cluster.Tests;

/// <summary>What each replica of a shard holds, read from the replica itself, to check replicas are equal.</summary>
internal static class ReplicaData
{
    /// <summary>Every point of one replica, in id order, with vectors, as "id:payload:vector" lines.</summary>
    public static async Task<List<string>> Of(IClusterClient client, string replicaKey)
    {
        var grain = client.GetGrain<IShardReplicaGrain>(replicaKey);
        var lines = new List<string>();
        string? offset = null;
        do
        {
            WirePage page = await grain.Scroll(500, offset, null, withVectors: true);
            lines.AddRange(page.Points.Select(p => $"{p.Id}:{p.Payload}:{p.Text}:{string.Join(',', p.Vector)}"));
            offset = page.NextOffset;
        }
        while (offset is not null);

        return lines;
    }

    /// <summary>Asserts every replica of every shard is live and holds the same points as its shard's primary; gives the total.</summary>
    public static async Task<int> AssertEqual(IClusterClient client, CollectionLayout layout)
    {
        var total = 0;
        foreach (var shard in layout.Shards)
        {
            Assert.All(shard.Replicas, r => Assert.Equal(ReplicaState.Live, r.State));
            Assert.Equal(shard.Replicas.Length, shard.Replicas.Select(r => r.Silo).Distinct().Count());
            var primary = await Of(client, shard.PrimaryReplica.Key);
            foreach (var replica in shard.Replicas)
            {
                Assert.Equal(primary, await Of(client, replica.Key));
            }

            total += primary.Count;
        }

        return total;
    }
}
