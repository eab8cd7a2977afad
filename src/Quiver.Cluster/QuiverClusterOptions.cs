namespace Quiver.Cluster;

/// <summary>
/// Where a silo keeps its shard replicas (a folder per silo name under <see cref="DataRoot"/>), how long a silo may be
/// gone before its replicas are rebuilt elsewhere, and how much of each replica's operation log is kept.
/// </summary>
public sealed class QuiverClusterOptions
{
    public required string DataRoot { get; init; }

    /// <summary>
    /// How long a silo may be out of the cluster before each replica it held is recreated on another live silo (one
    /// that holds no replica of that shard) and forgotten. Until then its replicas wait to catch up when it returns.
    /// Default: 10 minutes.
    /// </summary>
    public TimeSpan DeadSiloGrace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Operations a replica's log keeps below the lowest position the answering replicas of its shard have applied
    /// (the log is trimmed once this many more can go). A replica that falls further behind catches up by a full copy.
    /// Default: 10,000.
    /// </summary>
    public long LogMargin { get; init; } = 10_000;
}
