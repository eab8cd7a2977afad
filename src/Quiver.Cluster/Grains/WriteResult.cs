namespace Quiver.Cluster.Grains;

/// <summary>A shard write's operation number, and the followers that failed to commit it (now out of the write set).</summary>
[GenerateSerializer, Immutable]
public sealed record WriteResult([property: Id(0)] long Operation, [property: Id(1)] string[] FailedFollowers);
