using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Quiver.Cluster.Placement;
using Quiver.Cluster.Replication;
using Quiver.Cluster.Wire;
using Quiver.Core;
using Quiver.Store.Collections;
using Quiver.Store.Keyword;

namespace Quiver.Cluster.Grains;

/// <inheritdoc cref="IShardReplicaGrain"/>
/// <remarks>
/// Never collected when idle: the primary's role and follower list live in memory, and a primary that went away on
/// its own would cost a failover. A silo that restarts brings its replicas back as followers, to catch up.
/// </remarks>
[SiloPinnedPlacement]
[CollectionAgeLimit(AlwaysActive = true)]
internal sealed class ShardReplicaGrain(QuiverClusterOptions options, ILocalSiloDetails silo, IGrainFactory grains, ILogger<ShardReplicaGrain> logger)
    : Grain, IShardReplicaGrain
{
    private const string SpecFile = "replica.json";
    private const string LogFile = "operations.log";
    private const string PointsName = "points";
    private const int CopyPage = 500;
    private const int ReplayBatch = 1000;

    private Collection? _collection;
    private OperationLog? _log;
    private ReplicaSpec? _spec;
    private bool _primary;
    private long _epoch;
    private string[] _followers = [];

    private string Folder => Path.Combine(options.DataRoot, silo.Name, this.GetPrimaryKeyString().Replace('@', '_').Replace('/', '_'));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var specPath = Path.Combine(Folder, SpecFile);
        if (File.Exists(specPath))
        {
            Open(JsonSerializer.Deserialize<ReplicaSpec>(File.ReadAllText(specPath))!);

            // The last logged operation may not have reached the collection before a crash; operations are
            // idempotent, so applying it again is always safe.
            if (_log!.Read(_log.Last.Number) is { } last)
            {
                ApplyToCollection(last);
            }
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _collection?.Dispose();
        _log?.Dispose();
        return Task.CompletedTask;
    }

    public Task Create(ReplicaSpec spec)
    {
        if (_spec is not null)
        {
            return Task.CompletedTask;
        }

        Directory.CreateDirectory(Folder);
        var store = new CollectionStore(Folder);
        store.OpenOrCreate(PointsName, new CollectionOptions(spec.Space.ToSpace(), Keyword: new KeywordOptions(spec.Stemming))).Dispose();
        File.WriteAllText(Path.Combine(Folder, SpecFile), JsonSerializer.Serialize(spec));
        Open(spec);
        return Task.CompletedTask;
    }

    public Task Drop()
    {
        _collection?.Dispose();
        _log?.Dispose();
        _collection = null;
        _log = null;
        _spec = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<WriteResult> Write(WirePoint[]? upserts, string[]? deletes)
    {
        var log = AsPrimary();
        return Commit(new ShardOperation(log.Last.Number + 1, _epoch, upserts, deletes));
    }

    public Task<WriteResult> WriteSelected(string[]? ids, string? filter, PayloadChange? change)
    {
        var log = AsPrimary();
        if ((ids is null) == (filter is null))
        {
            throw new QuiverException("A delete or payload edit needs either the point ids or a filter, not both and not neither.");
        }

        // Resolved here, between this primary's other writes (a grain takes one write at a time), so the ids logged
        // are exactly the points the filter matched when the write was numbered.
        var points = Points();
        var chosen = ids ?? [.. points.Ids(FilterJson.Read(filter)!)];
        ShardOperation? operation = null;
        if (change is null)
        {
            if (chosen.Length > 0)
            {
                operation = new ShardOperation(log.Last.Number + 1, _epoch, null, chosen);
            }
        }
        else
        {
            // The ids that exist, logged with the change itself: a follower edits the payloads it holds in place,
            // as the primary does, leaving vectors and text untouched.
            var existing = points.Get(chosen, withVectors: false).Select(p => p.Id).ToArray();
            if (existing.Length > 0)
            {
                operation = new ShardOperation(log.Last.Number + 1, _epoch, null, null, new PayloadEdit(existing, change));
            }
        }

        return operation is null ? Task.FromResult(new WriteResult(log.Last.Number, [])) : Commit(operation);
    }

    public async Task Apply(ShardOperation operation, string primary)
    {
        var log = Ready();

        // A primary from an older epoch was replaced while it was cut off: its writes must not land here.
        if (operation.Epoch < log.Last.Epoch)
        {
            throw new NotPrimaryException($"Operation {operation.Number} comes from epoch {operation.Epoch}, but this replica already follows epoch {log.Last.Epoch}.");
        }

        if (operation.Number <= log.Last.Number)
        {
            return;
        }

        if (operation.Number > log.Last.Number + 1)
        {
            await CatchUp(primary);
            if (operation.Number <= _log!.Last.Number)
            {
                return;
            }
        }

        // An operation the collection refuses failed on the primary first and was never logged; one that got
        // this far is valid, so it is logged before it is applied, as on the primary.
        _log!.Append(operation);
        ApplyToCollection(operation);
    }

    public async Task BecomePrimary(long epoch, string[] followers)
    {
        Ready();

        // A follower may hold operations the failed primary sent it but not us: take them before numbering anew,
        // so every live replica's log stays a prefix of ours.
        foreach (var follower in followers)
        {
            var position = await grains.GetGrain<IShardReplicaGrain>(follower).Position();
            if (position.Number > _log!.Last.Number)
            {
                await CatchUp(follower);
            }
        }

        _epoch = epoch;
        _followers = followers;
        _primary = true;
    }

    public Task SetFollowers(string[] followers)
    {
        _followers = followers;
        return Task.CompletedTask;
    }

    public Task<string[]?> Followers() => Task.FromResult(_primary ? _followers : null);

    public Task StepDown()
    {
        _primary = false;
        _followers = [];
        return Task.CompletedTask;
    }

    public Task<ReplicaPosition> Handover()
    {
        var log = Ready();
        _primary = false;
        _followers = [];
        return Task.FromResult(log.Last);
    }

    public Task<ReplicaPosition> TrimLog(long lowestApplied, long margin)
    {
        var log = Ready();
        var through = Math.Min(lowestApplied, log.Last.Number) - margin;
        if (through - log.Base.Number >= Math.Max(margin, 1))
        {
            var before = log.Bytes;
            log.TrimThrough(through);
            logger.LogInformation("Replica {Replica} trimmed its log through operation {Operation} ({Before} to {After} bytes).", this.GetPrimaryKeyString(), through, before, log.Bytes);
        }

        return Task.FromResult(log.Base);
    }

    public async Task<ReplicaPosition> CatchUp(string primary)
    {
        var source = grains.GetGrain<IShardReplicaGrain>(primary);
        while (true)
        {
            var read = await source.ReadLog(_log!.Last, ReplayBatch);
            if (read.Diverged)
            {
                await CopyFrom(source);
                continue;
            }

            // Logged together, then applied as few transactions: runs of upserts merged (the last version of a
            // point wins, as it would one by one), a delete or payload edit ending a run.
            _log.Append(read.Operations);
            ApplyInRuns(read.Operations);

            if (_log.Last.Number >= read.Last)
            {
                return _log.Last;
            }
        }
    }

    public Task<ReplicaPosition> Position() => Task.FromResult(Ready().Last);

    public Task<LogRead> ReadLog(ReplicaPosition after, int max)
    {
        var log = Ready();
        if (after.Number > log.Last.Number || after.Number < log.Base.Number || log.EpochOf(after.Number) != after.Epoch)
        {
            return Task.FromResult(new LogRead(true, [], log.Last.Number));
        }

        var operations = new List<ShardOperation>();
        for (var n = after.Number + 1; n <= log.Last.Number && operations.Count < max; n++)
        {
            operations.Add(log.Read(n)!);
        }

        return Task.FromResult(new LogRead(false, operations.ToArray(), log.Last.Number));
    }

    public Task<WireHit[]> Search(float[] vector, int k, string? filter, int? ef, bool exact) =>
        Task.FromResult(Points().Search(vector, k, FilterJson.Read(filter), ef: ef, exact: exact).Select(WireHit.From).ToArray());

    public Task<WireCorpus> KeywordCorpus(string query) => Task.FromResult(WireCorpus.From(Points().KeywordCorpusOf(query)));

    public Task<WireHit[]> SearchKeyword(string query, int k, string? filter, WireCorpus corpus) =>
        Task.FromResult(Points().SearchKeyword(query, k, FilterJson.Read(filter), corpus.ToCorpus()).Select(WireHit.From).ToArray());

    public Task<WirePage> Scroll(int limit, string? offset, string? filter, bool withVectors)
    {
        var page = Points().Scroll(limit, offset, FilterJson.Read(filter), withVectors);
        return Task.FromResult(new WirePage(page.Points.Select(WirePoint.From).ToArray(), page.NextOffset));
    }

    public Task<long> Count(string? filter) => Task.FromResult(Points().Count(FilterJson.Read(filter)));

    public Task<WirePoint[]> Get(string[] ids, bool withVectors) =>
        Task.FromResult(Points().Get(ids, withVectors).Select(WirePoint.From).ToArray());

    private OperationLog AsPrimary()
    {
        var log = Ready();
        return _primary ? log : throw new NotPrimaryException($"Replica {this.GetPrimaryKeyString()} is not its shard's primary; read the layout again.");
    }

    private async Task<WriteResult> Commit(ShardOperation operation)
    {
        var log = Ready();

        // Logged before it is applied, so a crash in between is repaired on activation; a batch the collection
        // refuses (bad input) is taken out of the log again and never reaches a follower.
        log.Append(operation);
        try
        {
            ApplyToCollection(operation);
        }
        catch
        {
            log.RemoveLast();
            throw;
        }

        var followers = _followers;
        var me = this.GetPrimaryKeyString();
        var results = await Task.WhenAll(followers.Select(async f =>
        {
            try
            {
                await grains.GetGrain<IShardReplicaGrain>(f).Apply(operation, me);
                return null;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Follower {Follower} failed operation {Operation}; it leaves the write set until it catches up.", f, operation.Number);
                return f;
            }
        }));
        var failed = results.OfType<string>().ToArray();
        if (failed.Length > 0)
        {
            _followers = _followers.Except(failed).ToArray();
        }

        return new WriteResult(operation.Number, failed);
    }

    // A full copy: empty this replica, copy the source's points page by page, then replay what the source logged
    // since the copy began. Operations are idempotent per id, so pages read while writes go on still end right.
    private async Task CopyFrom(IShardReplicaGrain source)
    {
        var start = await source.Position();
        logger.LogInformation("Replica {Replica} diverged or fell behind the log; copying from {Source} at operation {Operation}.", this.GetPrimaryKeyString(), source.GetPrimaryKeyString(), start.Number);
        var spec = _spec!;

        // Until the copy is whole the log claims no position at all, so a crash mid-copy starts the copy again
        // instead of passing a partial collection off as level with the log.
        _log!.Reset(new ReplicaPosition(-1, -1));
        _collection!.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var store = new CollectionStore(Folder);
        store.Delete(PointsName);
        _collection = store.Create(PointsName, new CollectionOptions(spec.Space.ToSpace(), Keyword: new KeywordOptions(spec.Stemming)));
        string? offset = null;
        do
        {
            var page = await source.Scroll(CopyPage, offset, null, withVectors: true);
            if (page.Points.Length > 0)
            {
                _collection.Upsert(page.Points.Select(p => p.ToPoint()).ToList());
            }

            offset = page.NextOffset;
        }
        while (offset is not null);

        _log.Reset(start);
    }

    private void ApplyInRuns(IReadOnlyList<ShardOperation> operations)
    {
        var run = new Dictionary<string, WirePoint>(StringComparer.Ordinal);
        void Flush()
        {
            if (run.Count > 0)
            {
                Points().Upsert(run.Values.Select(p => p.ToPoint()).ToList());
                run.Clear();
            }
        }

        foreach (var operation in operations)
        {
            if (operation.Deletes is { Length: > 0 } || operation.Edit is not null)
            {
                Flush();
                ApplyToCollection(operation);
                continue;
            }

            foreach (var point in operation.Upserts ?? [])
            {
                run.Remove(point.Id);
                run[point.Id] = point;
            }
        }

        Flush();
    }

    private void ApplyToCollection(ShardOperation operation)
    {
        var points = Points();
        if (operation.Upserts is { Length: > 0 } upserts)
        {
            points.Upsert(upserts.Select(p => p.ToPoint()).ToList());
        }

        if (operation.Deletes is { Length: > 0 } deletes)
        {
            points.Delete(deletes);
        }

        if (operation.Edit is { } edit)
        {
            points.EditPayload(edit.Ids, null, edit.Change.Apply);
        }
    }

    private void Open(ReplicaSpec spec)
    {
        _spec = spec;
        _collection = new CollectionStore(Folder).Open(PointsName);
        _log = new OperationLog(Path.Combine(Folder, LogFile));
    }

    // A replica with no data was moved or dropped (or never created): a caller holding an old layout reads it again
    // and retries, as after a change of primary.
    private OperationLog Ready() =>
        _log ?? throw new NotPrimaryException($"The shard replica {this.GetPrimaryKeyString()} has no data on silo '{silo.Name}': it was moved or dropped; read the layout again.");

    private Collection Points()
    {
        Ready();
        return _collection!;
    }
}
