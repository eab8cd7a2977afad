using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Quiver.Cluster;
using Quiver.Cluster.Grains;
using Quiver.Server.Operations;

namespace Quiver.Server.Cluster;

/// <summary>
/// Cluster mode's gauges on /metrics: per distributed collection its shards and replicas, and per replica (labelled
/// with collection, shard, replica, silo, state and primary) whether it serves, its last operation and its lag
/// behind its shard's primary. One look at the cluster serves every gauge of a scrape.
/// </summary>
internal sealed class ClusterGauges(DistributedCollections distributed, ILogger<ClusterGauges> logger)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LookLimit = TimeSpan.FromSeconds(20);
    private readonly Lock _gate = new();
    private (DateTime At, IReadOnlyList<(DistributedCollection Collection, IReadOnlyList<ReplicaStatus> Replicas)> Seen) _last = (DateTime.MinValue, []);

    public void Register(ServerMetrics metrics)
    {
        metrics.Observe<int>("quiver.cluster.shards", "{shard}", "Shards of each distributed collection",
            () => Seen().Select(c => new Measurement<int>(c.Collection.Layout.Shards.Length, Tag("collection", c.Collection.Name))).ToList());
        metrics.Observe<int>("quiver.cluster.replicas", "{replica}", "Replicas of each distributed collection, and how many of them serve",
            () => Seen().SelectMany(c => new[]
            {
                new Measurement<int>(c.Replicas.Count, Tag("collection", c.Collection.Name), Tag("state", "any")),
                new Measurement<int>(c.Replicas.Count(r => r.State == ReplicaState.Live), Tag("collection", c.Collection.Name), Tag("state", "live")),
            }).ToList());
        metrics.Observe<int>("quiver.cluster.replica.live", "{replica}", "1 for a replica that serves reads and takes writes, 0 for one that lags",
            () => Replicas<int>(r => r.State == ReplicaState.Live ? 1 : 0));
        metrics.Observe<long>("quiver.cluster.replica.operation", "{operation}", "The last operation each replica applied (absent when it did not answer)",
            () => Replicas<long>(r => r.Operation));
        metrics.Observe<long>("quiver.cluster.replica.lag", "{operation}", "Operations each replica lags its shard's primary by (absent when either did not answer)",
            () => Replicas<long>(r => r.Lag));
    }

    private List<Measurement<T>> Replicas<T>(Func<ReplicaStatus, T?> value)
        where T : struct =>
        Seen().SelectMany(c => c.Replicas.Where(r => value(r) is not null).Select(r => new Measurement<T>(
            value(r)!.Value,
            Tag("collection", c.Collection.Name),
            Tag("shard", r.Shard.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Tag("replica", r.Replica.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Tag("silo", r.Silo),
            Tag("state", r.State == ReplicaState.Live ? "live" : "lagging"),
            Tag("primary", r.Primary ? "true" : "false")))).ToList();

    // Gauges are read synchronously at each scrape; the look at the cluster is asynchronous, so the scrape waits for
    // it (bounded), and the gauges of one scrape share it.
    private IReadOnlyList<(DistributedCollection Collection, IReadOnlyList<ReplicaStatus> Replicas)> Seen()
    {
        lock (_gate)
        {
            if (DateTime.UtcNow - _last.At < Fresh)
            {
                return _last.Seen;
            }

            try
            {
                _last = (DateTime.UtcNow, Task.Run(Look).WaitAsync(LookLimit).GetAwaiter().GetResult());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "The cluster did not answer for /metrics; its gauges are left out of this scrape.");
                _last = (DateTime.UtcNow, []);
            }

            return _last.Seen;
        }
    }

    private async Task<IReadOnlyList<(DistributedCollection, IReadOnlyList<ReplicaStatus>)>> Look()
    {
        var seen = new List<(DistributedCollection, IReadOnlyList<ReplicaStatus>)>();
        foreach (var name in await distributed.Names())
        {
            if (await distributed.Find(name) is { } collection)
            {
                seen.Add((collection, await collection.InspectAsync()));
            }
        }

        return seen;
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
