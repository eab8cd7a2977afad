namespace Quiver.Cluster.Replication;

/// <summary>The last operation a replica applied: its number and the epoch of the primary that numbered it.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplicaPosition([property: Id(0)] long Number, [property: Id(1)] long Epoch);
