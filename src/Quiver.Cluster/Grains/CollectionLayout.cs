using Quiver.Cluster.Wire;
using Quiver.Store.Keyword;

namespace Quiver.Cluster.Grains;

/// <summary>
/// A distributed collection's layout: its space, shard count, replication factor, and per shard the replicas, their
/// silos and states. <see cref="Version"/> rises with every change.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CollectionLayout(
    [property: Id(0)] string Name,
    [property: Id(1)] WireSpace Space,
    [property: Id(2)] KeywordStemming Stemming,
    [property: Id(3)] int ReplicationFactor,
    [property: Id(4)] ShardLayout[] Shards,
    [property: Id(5)] long Version);
