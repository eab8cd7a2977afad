using Quiver.Core;

namespace Quiver.Cluster;

/// <summary>
/// A shard of a distributed collection has no replica that can answer now: its silos are down, or a failover is
/// still under way. Nothing was acknowledged, and the same call may succeed once a replica is live again, so a
/// server answers it with 503 (retry later) rather than as the caller's mistake.
/// </summary>
public sealed class ShardUnavailableException : QuiverException
{
    /// <summary>Creates the error with a message naming the shard, its silos and the last failure.</summary>
    public ShardUnavailableException(string message)
        : base(message)
    {
    }
}
