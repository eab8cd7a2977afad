using System.Text.Json.Nodes;
using Quiver.Cluster.Grains;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.Cluster.Tests;

/// <summary>
/// Deletes by filter, payload edits by ids and by filter, and deleting a collection, on a collection sharded over three
/// silos (4 shards, 2 replicas each), against one single-node collection given the same operations: every replica of
/// every shard must hold exactly the points the single collection holds for that shard.
/// </summary>
public sealed class WriteOperationsTests(ThreeSiloCluster cluster) : IClassFixture<ThreeSiloCluster>, IDisposable
{
    private const int Dimensions = 12;
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
    public async Task Deletes_by_filter_and_payload_edits_leave_every_replica_equal_to_a_single_collection()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Cosine);
        var distributed = await DistributedCollection.CreateAsync(cluster.Client, "edits", new DistributedCollectionOptions(space, Shards: 4, ReplicationFactor: 2));
        using var single = new CollectionStore(_single).Create("edits", new CollectionOptions(space));
        var points = TestPoints.Make(400, Dimensions, seed: 3);
        await distributed.UpsertAsync(points);
        single.Upsert(points);

        var group3 = PayloadFilter.Equal("group", JsonValue.Create(3));
        await distributed.DeleteAsync(group3);
        Assert.Equal(100, single.Delete(group3));

        // Set keys by ids (one id absent, one deleted above: both skipped), then by filter.
        string[] someIds = ["p1", "p2", "p10", "p3", "absent"];
        await distributed.EditPayloadAsync(someIds, PayloadChange.Set(new JsonObject { ["tag"] = "a", ["rank"] = -1 }));
        single.EditPayload(someIds, null, Merge(new JsonObject { ["tag"] = "a", ["rank"] = -1 }));
        var middle = new PayloadFilter([new RangeCondition("rank", Gte: 100, Lt: 160)]);
        await distributed.EditPayloadAsync(middle, PayloadChange.Set(new JsonObject { ["tag"] = "b" }));
        single.EditPayload(null, middle, Merge(new JsonObject { ["tag"] = "b" }));

        // Overwrite, delete keys and clear, each by ids and by filter.
        await distributed.EditPayloadAsync(["p4", "p6"], PayloadChange.Overwrite(new JsonObject { ["only"] = true }));
        single.EditPayload(["p4", "p6"], null, _ => new JsonObject { ["only"] = true });
        var tagB = PayloadFilter.Equal("tag", JsonValue.Create("b"));
        await distributed.EditPayloadAsync(tagB, PayloadChange.Overwrite(new JsonObject { ["tag"] = "c", ["n"] = 7 }));
        single.EditPayload(null, tagB, _ => new JsonObject { ["tag"] = "c", ["n"] = 7 });
        var group1 = PayloadFilter.Equal("group", JsonValue.Create(1));
        await distributed.EditPayloadAsync(group1, PayloadChange.DeleteKeys(["rank", "missing"]));
        single.EditPayload(null, group1, current => Without(current, "rank", "missing"));
        await distributed.EditPayloadAsync(["p8", "p9"], PayloadChange.Clear());
        single.EditPayload(["p8", "p9"], null, _ => null);
        var tagA = PayloadFilter.Equal("tag", JsonValue.Create("a"));
        await distributed.EditPayloadAsync(tagA, PayloadChange.DeleteKeys(["tag"]));
        single.EditPayload(null, tagA, current => Without(current, "tag"));
        var tagC = PayloadFilter.Equal("tag", JsonValue.Create("c"));
        await distributed.DeleteAsync(new PayloadFilter([new RangeCondition("n", Gte: 7)], MustNot: [new FieldCondition("group", JsonValue.Create(0))]));
        single.Delete(new PayloadFilter([new RangeCondition("n", Gte: 7)], MustNot: [new FieldCondition("group", JsonValue.Create(0))]));

        // A filter that matches nothing changes nothing and logs nothing.
        var before = await Positions(distributed);
        await distributed.DeleteAsync(PayloadFilter.Equal("group", JsonValue.Create(99)));
        await distributed.EditPayloadAsync(PayloadFilter.Equal("group", JsonValue.Create(99)), PayloadChange.Clear());
        Assert.Equal(before, await Positions(distributed));

        // The whole collection, then every replica of every shard, against the single collection.
        var expected = Dump(single.Scroll(1000, null, null, withVectors: true).Points);
        Assert.Equal(expected, Dump((await distributed.ScrollAsync(1000, withVectors: true)).Points));
        Assert.Equal(single.Count(tagC), await distributed.CountAsync(tagC));
        Assert.True(single.Count(group1) > 0);
        for (var s = 0; s < distributed.Layout.Shards.Length; s++)
        {
            var shard = s;
            var mine = Dump(single.Scroll(1000, null, null, withVectors: true).Points.Where(p => DistributedCollection.ShardOf(p.Id, 4) == shard));
            foreach (var replica in distributed.Layout.Shards[s].Replicas)
            {
                var page = await cluster.Client.GetGrain<IShardReplicaGrain>(replica.Key).Scroll(1000, null, null, withVectors: true);
                Assert.Equal(mine, Dump(page.Points.Select(p => p.ToPoint())));
            }
        }

        // Exact search with a filter on an edited key gives the single collection's hits.
        var query = TestPoints.Query(Dimensions, seed: 9);
        var expectedHits = single.Search(query, 10, PayloadFilter.Equal("group", JsonValue.Create(2)), exact: true);
        var hits = await distributed.SearchAsync(query, 10, PayloadFilter.Equal("group", JsonValue.Create(2)), exact: true);
        Assert.Equal(expectedHits.Select(h => (h.Id, h.Score, h.Payload?.ToJsonString())), hits.Select(h => (h.Id, h.Score, h.Payload?.ToJsonString())));
    }

    [Fact]
    public async Task A_delete_by_filter_is_logged_as_the_ids_it_matched_on_the_primary()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Euclidean);
        var distributed = await DistributedCollection.CreateAsync(cluster.Client, "logged", new DistributedCollectionOptions(space, Shards: 2, ReplicationFactor: 2));
        var points = TestPoints.Make(60, Dimensions, seed: 5);
        await distributed.UpsertAsync(points);
        await distributed.DeleteAsync(PayloadFilter.Equal("group", JsonValue.Create(2)));
        await distributed.EditPayloadAsync(PayloadFilter.Equal("group", JsonValue.Create(1)), PayloadChange.Set(new JsonObject { ["seen"] = true }));

        for (var s = 0; s < 2; s++)
        {
            var shard = s;
            var primary = cluster.Client.GetGrain<IShardReplicaGrain>(distributed.Layout.Shards[s].PrimaryReplica.Key);
            var log = await primary.ReadLog(new Replication.ReplicaPosition(0, 0), 100);
            Assert.False(log.Diverged);
            Assert.Equal(3, log.Operations.Length);
            var inShard = points.Where(p => DistributedCollection.ShardOf(p.Id, 2) == shard).ToList();
            Assert.Equal(
                inShard.Where(p => (int)p.Payload!["group"]! == 2).Select(p => p.Id).Order(StringComparer.Ordinal),
                log.Operations[1].Deletes!.Order(StringComparer.Ordinal));
            Assert.Null(log.Operations[1].Upserts);
            var edit = log.Operations[2].Edit!;
            Assert.Equal(inShard.Where(p => (int)p.Payload!["group"]! == 1).Select(p => p.Id).Order(StringComparer.Ordinal), edit.Ids.Order(StringComparer.Ordinal));
            Assert.Equal(PayloadChangeKind.Set, edit.Change.Kind);
        }
    }

    [Fact]
    public async Task Dropping_removes_every_replica_and_layout_and_the_name_can_be_created_again()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Dot);
        var distributed = await DistributedCollection.CreateAsync(cluster.Client, "dropped", new DistributedCollectionOptions(space, Shards: 3, ReplicationFactor: 2));
        await distributed.UpsertAsync(TestPoints.Make(50, Dimensions, seed: 7));
        Assert.Contains("dropped", await DistributedCollection.ListAsync(cluster.Client));
        Assert.Equal(6, Directory.GetDirectories(cluster.Root, "dropped_*", SearchOption.AllDirectories).Length);
        Assert.Equal(3, Directory.GetFiles(cluster.Root, "dropped.json", SearchOption.AllDirectories).Length);

        await distributed.DropAsync();

        Assert.Null(await DistributedCollection.TryOpenAsync(cluster.Client, "dropped"));
        Assert.DoesNotContain("dropped", await DistributedCollection.ListAsync(cluster.Client));
        Assert.Empty(Directory.GetDirectories(cluster.Root, "dropped_*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(cluster.Root, "dropped.json", SearchOption.AllDirectories));
        await Assert.ThrowsAsync<Core.QuiverException>(() => DistributedCollection.OpenAsync(cluster.Client, "dropped"));

        // The same name again, with another layout and space: empty, and it takes writes.
        var again = await DistributedCollection.CreateAsync(cluster.Client, "dropped", new DistributedCollectionOptions(EmbeddingSpace.Raw(4, DistanceMetric.Cosine), Shards: 2, ReplicationFactor: 3));
        Assert.Equal(0, await again.CountAsync());
        await again.UpsertAsync(TestPoints.Make(10, 4, seed: 8));
        Assert.Equal(10, await again.CountAsync());
        Assert.Equal(10, (await again.ScrollAsync(100)).Points.Count);
    }

    private static Func<JsonObject?, JsonObject?> Merge(JsonObject given) => current =>
    {
        var merged = (JsonObject?)current?.DeepClone() ?? [];
        foreach (var (key, value) in given)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    };

    private static JsonObject? Without(JsonObject? current, params string[] keys)
    {
        if (current is null)
        {
            return null;
        }

        var trimmed = (JsonObject)current.DeepClone();
        foreach (var key in keys)
        {
            trimmed.Remove(key);
        }

        return trimmed;
    }

    private static List<string> Dump(IEnumerable<Point> points) =>
        [.. points.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => $"{p.Id}|{p.Payload?.ToJsonString()}|{p.Text}|{string.Join(',', p.Vector)}")];

    private static async Task<List<long>> Positions(DistributedCollection collection) =>
        [.. (await collection.InspectAsync()).Select(r => r.Operation ?? -1)];
}
