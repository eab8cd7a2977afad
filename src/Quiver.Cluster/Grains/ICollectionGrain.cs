using Orleans.Concurrency;
using Quiver.Cluster.Wire;
using Quiver.Store.Keyword;

namespace Quiver.Cluster.Grains;

/// <summary>
/// The layout of one distributed collection (key: its name) and the decisions about it: where replicas go, which
/// replica of a shard is primary, failover when a replica fails, and bringing lagging replicas back.
/// </summary>
public interface ICollectionGrain : IGrainWithStringKey
{
    Task<CollectionLayout> Create(WireSpace space, KeywordStemming stemming, int shards, int replicationFactor);

    /// <summary>The layout; null when the collection does not exist.</summary>
    /// <remarks>Answered between the steps of a heal or failover (it only reads the layout as it stands), so readers never wait on them.</remarks>
    [AlwaysInterleave]
    Task<CollectionLayout?> Layout();

    /// <summary>A call to this replica failed: it stops serving and, if it was its shard's primary, another live replica takes over.</summary>
    Task<CollectionLayout> ReportFailure(int shard, string replica);

    /// <summary>
    /// Brings every lagging replica whose silo is in the cluster level with its primary and back into service,
    /// rebuilds elsewhere each replica whose silo has been gone longer than the grace period, and trims the logs.
    /// </summary>
    Task<CollectionLayout?> Heal();

    /// <summary>
    /// Moves replicas from the silos holding the most replicas of this collection to those holding the fewest until
    /// they differ by at most one: each move creates a replica on the target, brings it level and into service, then
    /// drops the old one (handing the primary's role over first when it held it).
    /// </summary>
    Task<CollectionLayout> Rebalance();

    /// <summary>Trims each replica's log up to the lowest position its shard's answering replicas have applied, less the margin.</summary>
    Task TrimLogs();

    /// <summary>Deletes every replica's files and the layout everywhere; refused, with nothing deleted, while a silo holding a replica is away.</summary>
    Task Drop();
}
