using Quiver.Cluster.Wire;
using Quiver.Store.Keyword;

namespace Quiver.Cluster.Grains;

/// <summary>What a shard replica's local collection is: its space and keyword tokenizer.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplicaSpec(
    [property: Id(0)] string Collection,
    [property: Id(1)] int Shard,
    [property: Id(2)] int Replica,
    [property: Id(3)] WireSpace Space,
    [property: Id(4)] KeywordStemming Stemming);
