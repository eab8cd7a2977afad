namespace Quiver.Cluster.Grains;

/// <summary>One replica of a shard: its grain key, its silo and its state.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplicaLayout([property: Id(0)] string Key, [property: Id(1)] string Silo, [property: Id(2)] ReplicaState State);
