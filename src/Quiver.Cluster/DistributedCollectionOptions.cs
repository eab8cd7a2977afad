using Quiver.Core.Spaces;
using Quiver.Store.Keyword;

namespace Quiver.Cluster;

/// <summary>A new distributed collection: its space, how many shards, and how many replicas of each (on different silos).</summary>
public sealed record DistributedCollectionOptions(EmbeddingSpace Space, int Shards = 1, int ReplicationFactor = 1, KeywordStemming Stemming = KeywordStemming.None);
