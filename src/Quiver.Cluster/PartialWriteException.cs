using Quiver.Core;

namespace Quiver.Cluster;

/// <summary>
/// A write that spanned shards and was applied on some of them only: each shard applies its part atomically on all
/// its live replicas, but shards are independent, so when one has no live primary the others' parts stay applied.
/// <see cref="Acknowledged"/> lists the ids that are stored (on every live replica of their shard), and
/// <see cref="NotAcknowledged"/> those that are not (empty for a write by filter, whose ids are found on each shard;
/// then the shards say it). Retrying the whole write is safe: upserts, deletes and payload edits are idempotent.
/// </summary>
public sealed class PartialWriteException : QuiverException
{
    /// <summary>A write applied on <paramref name="acknowledgedShards"/> and refused on <paramref name="failedShards"/>.</summary>
    public PartialWriteException(
        string message,
        IReadOnlyList<string> acknowledged,
        IReadOnlyList<string> notAcknowledged,
        IReadOnlyList<int> acknowledgedShards,
        IReadOnlyList<int> failedShards,
        Exception innerException)
        : base(message, innerException)
    {
        Acknowledged = acknowledged;
        NotAcknowledged = notAcknowledged;
        AcknowledgedShards = acknowledgedShards;
        FailedShards = failedShards;
    }

    /// <summary>The ids whose shard applied the write.</summary>
    public IReadOnlyList<string> Acknowledged { get; }

    /// <summary>The ids whose shard did not.</summary>
    public IReadOnlyList<string> NotAcknowledged { get; }

    /// <summary>The shards that applied their part.</summary>
    public IReadOnlyList<int> AcknowledgedShards { get; }

    /// <summary>The shards that did not.</summary>
    public IReadOnlyList<int> FailedShards { get; }
}
