namespace Quiver.Cluster.Replication;

/// <summary>
/// Operations after a replica's position, or <see cref="Diverged"/> when the replica's last operation is not the
/// primary's (it logged a write a failed primary never replicated) or lies before what the log keeps: then the
/// replica needs a full copy.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LogRead([property: Id(0)] bool Diverged, [property: Id(1)] ShardOperation[] Operations, [property: Id(2)] long Last);
