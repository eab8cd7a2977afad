namespace Quiver.Cluster;

/// <summary>Where a silo keeps its shard replicas: a folder per silo name under <see cref="DataRoot"/>.</summary>
public sealed class QuiverClusterOptions
{
    public required string DataRoot { get; init; }
}
