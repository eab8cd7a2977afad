using Quiver.Cluster.Grains;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Cluster.Tests;

/// <summary>Logs trimmed while a replica's silo is down: when it returns behind the trimmed point it is copied whole.</summary>
public sealed class LogTrimTests(LongGraceCluster cluster) : IClassFixture<LongGraceCluster>
{
    private const int Dimensions = 8;

    [Fact]
    public async Task A_replica_behind_the_trimmed_log_catches_up_by_a_full_copy_and_the_logs_keep_only_the_margin()
    {
        var space = EmbeddingSpace.Raw(Dimensions, DistanceMetric.Dot);
        var collection = await DistributedCollection.CreateAsync(cluster.Client, "trimmed", new DistributedCollectionOptions(space, Shards: 1, ReplicationFactor: 3));
        var points = TestPoints.Make(100, Dimensions, seed: 3);

        // One operation a point: 30 before the silo goes, 70 while it is away.
        foreach (var p in points.Take(30))
        {
            await collection.UpsertAsync([p]);
        }

        var victim = cluster.Cluster.Silos[^1];
        var stale = collection.Layout.Shards[0].Replicas.Single(r => r.Silo == victim.Name);
        await cluster.Cluster.KillSiloAsync(victim);
        foreach (var p in points.Skip(30))
        {
            await collection.UpsertAsync([p]);
        }

        var grain = cluster.Client.GetGrain<ICollectionGrain>("trimmed");
        var layout = await HealUntil(grain, l => l.Shards[0].Replicas.Single(r => r.Key == stale.Key).State == ReplicaState.Lagging);
        await grain.TrimLogs();

        // The answering replicas stand at operation 100; their logs start at a base at most twice the margin (10)
        // below it (the log is rewritten once a margin's worth can go) and hold only the operations after it, all
        // past operation 30 where the stale replica stopped.
        foreach (var replica in layout.Shards[0].Replicas.Where(r => r.Key != stale.Key))
        {
            var lines = File.ReadAllLines(cluster.LogOf(replica.Key));
            Assert.EndsWith("\"base\":true}", lines[0], StringComparison.Ordinal);
            var trimmedThrough = Number(lines[0]);
            Assert.InRange(trimmedThrough, 80, 90);
            Assert.Equal(100 - trimmedThrough, lines.Length - 1);
            Assert.Equal(trimmedThrough + 1, Number(lines[1]));
            Assert.Equal(100, Number(lines[^1]));
        }

        Assert.Equal(30, Number(File.ReadAllLines(cluster.LogOf(stale.Key))[^1]));

        // The silo returns: its replica asks for operation 31, which no log holds any more, so it is copied whole.
        await cluster.Cluster.StartSiloAsync(victim.InstanceNumber, cluster.Cluster.Options);
        layout = await HealUntil(grain, l => l.Shards[0].Replicas.All(r => r.State == ReplicaState.Live));
        var copied = File.ReadAllLines(cluster.LogOf(stale.Key));
        Assert.EndsWith("\"base\":true}", copied[0], StringComparison.Ordinal);
        Assert.Equal(100, Number(copied[0]));
        Assert.Equal(points.Count, await ReplicaData.AssertEqual(cluster.Client, layout));

        // And it takes writes again with the others.
        var more = TestPoints.Make(5, Dimensions, seed: 4, from: 100);
        await collection.UpsertAsync(more);
        Assert.Equal(points.Count + more.Count, await ReplicaData.AssertEqual(cluster.Client, layout));
    }

    private static long Number(string logLine) => System.Text.Json.JsonDocument.Parse(logLine).RootElement.GetProperty("Number").GetInt64();

    private static async Task<CollectionLayout> HealUntil(ICollectionGrain grain, Func<CollectionLayout, bool> done)
    {
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
        while ((layout is null || !done(layout)) && DateTime.UtcNow < deadline);

        Assert.NotNull(layout);
        Assert.True(done(layout), string.Join("; ", layout.Shards.SelectMany(s => s.Replicas).Select(r => $"{r.Key} {r.State}")));
        return layout;
    }
}
