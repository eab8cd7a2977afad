using Orleans.Concurrency;
using Quiver.Cluster.Replication;
using Quiver.Cluster.Wire;

namespace Quiver.Cluster.Grains;

/// <summary>
/// One replica of one shard: a Quiver collection on its silo's disk plus the log of the operations applied to it.
/// Key: "collection/shard/replica@silo". Writes are taken one at a time; reads and log reads interleave with them
/// (they touch only committed state), so a primary waiting on its followers still answers searches and catch-ups.
/// </summary>
public interface IShardReplicaGrain : IGrainWithStringKey
{
    Task Create(ReplicaSpec spec);

    Task Drop();

    /// <summary>As primary: numbers the operation, logs and applies it, then waits for every follower to commit it.</summary>
    Task<WriteResult> Write(WirePoint[]? upserts, string[]? deletes);

    /// <summary>
    /// As primary: takes the points of this shard with these <paramref name="ids"/> (or matching the JSON
    /// <paramref name="filter"/>) as they stand now, and deletes them (<paramref name="change"/> null) or edits their
    /// payload. The operation logged is the outcome (a delete of those ids, or an upsert of the edited whole points),
    /// so followers and catch-up replay it alike. Nothing is logged when no point is chosen.
    /// </summary>
    Task<WriteResult> WriteSelected(string[]? ids, string? filter, PayloadChange? change);

    /// <summary>As follower: applies the primary's operation (pulling any it missed from <paramref name="primary"/> first).</summary>
    Task Apply(ShardOperation operation, string primary);

    /// <summary>Takes the primary's role for <paramref name="epoch"/>, with these followers.</summary>
    Task BecomePrimary(long epoch, string[] followers);

    [AlwaysInterleave]
    Task SetFollowers(string[] followers);

    [AlwaysInterleave]
    Task StepDown();

    /// <summary>
    /// As primary, for a planned move: stops taking writes once the write in progress (if any) has reached its
    /// followers (the call queues behind it), and gives the position every follower in the write set now holds.
    /// </summary>
    Task<ReplicaPosition> Handover();

    /// <summary>
    /// Forgets logged operations up to <paramref name="lowestApplied"/> less <paramref name="margin"/>, once at least
    /// <paramref name="margin"/> of them can go (so the log is not rewritten for a few lines); gives the log's base after.
    /// </summary>
    Task<ReplicaPosition> TrimLog(long lowestApplied, long margin);

    /// <summary>
    /// As primary: the followers it sends writes to now (a follower that failed a write is no longer among them);
    /// null when this replica is not primary (its silo restarted, or it stepped down).
    /// </summary>
    [AlwaysInterleave]
    Task<string[]?> Followers();

    /// <summary>Brings this replica level with <paramref name="primary"/>: replays the operations it missed, or copies everything when its log diverged.</summary>
    Task<ReplicaPosition> CatchUp(string primary);

    [AlwaysInterleave]
    Task<ReplicaPosition> Position();

    [AlwaysInterleave]
    Task<LogRead> ReadLog(ReplicaPosition after, int max);

    [AlwaysInterleave]
    Task<WireHit[]> Search(float[] vector, int k, string? filter, int? ef, bool exact);

    [AlwaysInterleave]
    Task<WireCorpus> KeywordCorpus(string query);

    [AlwaysInterleave]
    Task<WireHit[]> SearchKeyword(string query, int k, string? filter, WireCorpus corpus);

    [AlwaysInterleave]
    Task<WirePage> Scroll(int limit, string? offset, string? filter, bool withVectors);

    [AlwaysInterleave]
    Task<long> Count(string? filter);

    [AlwaysInterleave]
    Task<WirePoint[]> Get(string[] ids, bool withVectors);
}
