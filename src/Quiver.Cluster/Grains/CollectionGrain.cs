using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Quiver.Cluster.Wire;
using Quiver.Core;
using Quiver.Store.Keyword;

namespace Quiver.Cluster.Grains;

/// <inheritdoc cref="ICollectionGrain"/>
/// <remarks>Kept active: its timer brings lagging replicas back even when nobody calls.</remarks>
[CollectionAgeLimit(AlwaysActive = true)]
internal sealed class CollectionGrain(ISiloStatusOracle oracle, IGrainFactory grains, QuiverClusterOptions options, ILogger<CollectionGrain> logger)
    : Grain, ICollectionGrain
{
    private static readonly TimeSpan HealEvery = TimeSpan.FromSeconds(2);

    // When each silo that holds a replica was first seen out of the cluster (in memory: a grain that moves starts the
    // grace period again, which only delays a replacement).
    private readonly Dictionary<string, DateTime> _missingSince = new(StringComparer.Ordinal);
    private CollectionLayout? _layout;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The layout lives on every silo's disk; the newest copy any active silo holds wins.
        foreach (var siloName in ActiveSilos())
        {
            try
            {
                if (await Catalog(siloName).Load(Name) is { } layout && (_layout is null || layout.Version > _layout.Version))
                {
                    _layout = layout;
                }
            }
            catch (Exception e) when (e is not QuiverException)
            {
                logger.LogWarning(e, "Silo {Silo} did not give its copy of the layout of {Collection}.", siloName, Name);
            }
        }

        this.RegisterGrainTimer(async () => await Heal(), HealEvery, HealEvery);
    }

    public async Task<CollectionLayout> Create(WireSpace space, KeywordStemming stemming, int shards, int replicationFactor)
    {
        if (_layout is not null)
        {
            throw new QuiverException($"The distributed collection '{Name}' already exists; drop it first or pick another name.");
        }

        if (shards < 1)
        {
            throw new QuiverException($"A collection needs at least 1 shard; {shards} was asked for.");
        }

        var silos = ActiveSilos();
        if (replicationFactor < 1 || replicationFactor > silos.Count)
        {
            throw new QuiverException(
                $"The replication factor {replicationFactor} must lie between 1 and the number of silos in the cluster ({silos.Count}): replicas of one shard go on different silos. Start more silos or lower it.");
        }

        var layouts = new ShardLayout[shards];
        for (var s = 0; s < shards; s++)
        {
            var replicas = Enumerable.Range(0, replicationFactor)
                .Select(r => silos[(s + r) % silos.Count] is var silo ? new ReplicaLayout($"{Name}/{s}/{r}@{silo}", silo, ReplicaState.Live) : null!)
                .ToArray();
            for (var r = 0; r < replicas.Length; r++)
            {
                await Replica(replicas[r].Key).Create(new ReplicaSpec(Name, s, r, space, stemming));
            }

            await Replica(replicas[0].Key).BecomePrimary(1, replicas.Skip(1).Select(r => r.Key).ToArray());
            layouts[s] = new ShardLayout(replicas, 0, 1);
        }

        _layout = new CollectionLayout(Name, space, stemming, replicationFactor, layouts, 1);
        await Save();
        return _layout;
    }

    public Task<CollectionLayout?> Layout() => Task.FromResult(_layout);

    public async Task<CollectionLayout> ReportFailure(int shard, string replica)
    {
        var layout = Existing();
        var current = layout.Shards[shard];
        var index = Array.FindIndex(current.Replicas, r => r.Key == replica);
        if (index < 0 || current.Replicas[index].State == ReplicaState.Lagging)
        {
            return layout;
        }

        logger.LogWarning("Replica {Replica} of {Collection} failed; it stops serving until it has caught up.", replica, Name);
        var replicas = current.Replicas.Select((r, i) => i == index ? r with { State = ReplicaState.Lagging } : r).ToArray();
        var updated = current with { Replicas = replicas };
        if (index == current.Primary)
        {
            updated = await Failover(shard, updated);
        }
        else
        {
            await TryCall(() => Replica(updated.PrimaryReplica.Key).SetFollowers(Followers(updated)));
        }

        await Replace(shard, updated);
        return _layout!;
    }

    public async Task<CollectionLayout?> Heal()
    {
        if (_layout is null)
        {
            return null;
        }

        var active = ActiveSilos().ToHashSet(StringComparer.Ordinal);
        for (var s = 0; s < _layout.Shards.Length; s++)
        {
            // A live replica whose silo left the cluster cannot serve: out of service now (failing over a primary),
            // rather than at the first call that fails on it.
            foreach (var gone in _layout.Shards[s].Replicas.Where(r => r.State == ReplicaState.Live && !active.Contains(r.Silo)).Select(r => r.Key).ToList())
            {
                var shardIndex = s;
                await TryCall(() => ReportFailure(shardIndex, gone));
            }

            var shard = _layout.Shards[s];
            if (shard.PrimaryReplica.State == ReplicaState.Lagging)
            {
                // No live replica was left to take over; the first that returns becomes primary as it stands.
                var returning = Array.FindIndex(shard.Replicas, r => active.Contains(r.Silo));
                if (returning < 0)
                {
                    continue;
                }

                var promoted = shard with
                {
                    Replicas = shard.Replicas.Select((r, i) => i == returning ? r with { State = ReplicaState.Live } : r).ToArray(),
                    Primary = returning,
                    Epoch = shard.Epoch + 1,
                };
                if (!await TryCall(() => Replica(promoted.PrimaryReplica.Key).BecomePrimary(promoted.Epoch, Followers(promoted))))
                {
                    continue;
                }

                await Replace(s, promoted);
                shard = promoted;
            }

            // A follower the primary dropped after a failed write stopped getting writes, even when the report of
            // that failure never arrived (this grain's own silo may have been the one that went): it lags.
            var primaryKey = shard.PrimaryReplica.Key;
            string[]? writeSet = null;
            if (!await TryCall(async () => writeSet = await Replica(primaryKey).Followers()))
            {
                continue;
            }

            if (writeSet is null)
            {
                // The primary lost its role (its silo restarted before anyone saw it fail): fail over now.
                await ReportFailure(s, primaryKey);
                continue;
            }

            var dropped = shard.Replicas.Select((x, i) => i != shard.Primary && x.State == ReplicaState.Live && !writeSet!.Contains(x.Key)).ToArray();
            if (dropped.Any(d => d))
            {
                shard = shard with { Replicas = shard.Replicas.Select((x, i) => dropped[i] ? x with { State = ReplicaState.Lagging } : x).ToArray() };
                await Replace(s, shard);
            }

            for (var r = 0; r < shard.Replicas.Length; r++)
            {
                if (shard.Replicas[r].State == ReplicaState.Lagging && active.Contains(shard.Replicas[r].Silo))
                {
                    await CatchUpAndServe(s, shard.Replicas[r].Key);
                }
            }
        }

        await ReplaceDead(active);
        await TrimLogs();
        return _layout;
    }

    public async Task<CollectionLayout> Rebalance()
    {
        Existing();
        var moves = 0;
        var limit = _layout!.Shards.Sum(s => s.Replicas.Length);
        while (moves < limit && PickMove() is { } move)
        {
            logger.LogInformation("Rebalancing {Collection}: replica {Replica} of shard {Shard} moves to silo {Silo}.", Name, move.Key, move.Shard, move.Target);
            if (!await Move(move.Shard, move.Key, move.Target))
            {
                break;
            }

            moves++;
        }

        return _layout!;
    }

    public async Task TrimLogs()
    {
        if (_layout is null)
        {
            return;
        }

        var active = ActiveSilos().ToHashSet(StringComparer.Ordinal);
        foreach (var shard in _layout.Shards)
        {
            // The lowest position among the replicas that answer: a replica whose silo is gone does not hold the
            // log back; should it return behind the trimmed point, the log read says so and it is copied whole.
            var answered = new List<(string Key, long Number)>();
            foreach (var replica in shard.Replicas.Where(r => active.Contains(r.Silo)))
            {
                await TryCall(async () => answered.Add((replica.Key, (await Replica(replica.Key).Position()).Number)));
            }

            if (answered.Count == 0)
            {
                continue;
            }

            var lowest = answered.Min(a => a.Number);
            foreach (var (key, _) in answered)
            {
                await TryCall(() => Replica(key).TrimLog(lowest, options.LogMargin));
            }
        }
    }

    // The replica to move next: from the silo holding the most replicas of this collection to the one holding the
    // fewest, when they differ by two or more, of a shard with no replica on the target yet; followers first, since
    // moving a primary costs a handover.
    private (int Shard, string Key, string Target)? PickMove()
    {
        var active = ActiveSilos();
        var load = active.ToDictionary(silo => silo, silo => _layout!.Shards.Sum(s => s.Replicas.Count(r => r.Silo == silo)), StringComparer.Ordinal);
        foreach (var source in active.OrderByDescending(silo => load[silo]))
        {
            foreach (var target in active.OrderBy(silo => load[silo]))
            {
                if (load[source] - load[target] < 2)
                {
                    break;
                }

                var candidates = _layout!.Shards
                    .Select((shard, s) => (Shard: shard, Index: s))
                    .Where(x => x.Shard.Replicas.All(r => r.Silo != target) && x.Shard.PrimaryReplica.State == ReplicaState.Live)
                    .SelectMany(x => x.Shard.Replicas.Select((r, i) => (x.Index, Replica: r, IsPrimary: i == x.Shard.Primary)))
                    .Where(c => c.Replica.Silo == source)
                    .OrderBy(c => c.IsPrimary)
                    .ThenBy(c => c.Index)
                    .ToList();
                if (candidates.Count > 0)
                {
                    return (candidates[0].Index, candidates[0].Replica.Key, target);
                }
            }
        }

        return null;
    }

    // A new replica on the target, caught up and serving, then the old one out of the write set and dropped.
    private async Task<bool> Move(int shard, string key, string target)
    {
        if (!await AddReplica(shard, target))
        {
            return false;
        }

        if (_layout!.Shards[shard].PrimaryReplica.Key == key && !await HandOver(shard))
        {
            return false;
        }

        await RemoveReplica(shard, key, drop: true);
        return true;
    }

    // Each replica whose silo has been out of the cluster longer than the grace period is rebuilt on a live silo
    // that holds no replica of its shard (the one holding fewest replicas of this collection), then forgotten.
    private async Task ReplaceDead(HashSet<string> active)
    {
        var now = DateTime.UtcNow;
        var silos = _layout!.Shards.SelectMany(s => s.Replicas).Select(r => r.Silo).ToHashSet(StringComparer.Ordinal);
        foreach (var silo in _missingSince.Keys.Where(k => active.Contains(k) || !silos.Contains(k)).ToList())
        {
            _missingSince.Remove(silo);
        }

        foreach (var silo in silos.Where(k => !active.Contains(k)))
        {
            _missingSince.TryAdd(silo, now);
        }

        for (var s = 0; s < _layout.Shards.Length; s++)
        {
            foreach (var dead in _layout.Shards[s].Replicas.Where(r => _missingSince.TryGetValue(r.Silo, out var since) && now - since >= options.DeadSiloGrace).ToList())
            {
                var shard = _layout.Shards[s];
                if (shard.PrimaryReplica.State != ReplicaState.Live || shard.PrimaryReplica.Key == dead.Key)
                {
                    // Nothing live to copy from: the shard waits for a replica's silo to return.
                    continue;
                }

                var target = active
                    .Where(silo => shard.Replicas.All(r => r.Silo != silo))
                    .OrderBy(silo => _layout.Shards.Sum(x => x.Replicas.Count(r => r.Silo == silo)))
                    .ThenBy(silo => silo, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (target is null)
                {
                    logger.LogWarning("Replica {Replica} of {Collection} has been gone since {Since}, but every live silo already holds a replica of shard {Shard}; start another silo.", dead.Key, Name, _missingSince[dead.Silo], s);
                    continue;
                }

                logger.LogWarning("Silo {Silo} has been gone since {Since}: replica {Replica} of {Collection} is rebuilt on {Target}.", dead.Silo, _missingSince[dead.Silo], dead.Key, Name, target);
                if (await AddReplica(s, target))
                {
                    // Its silo is gone, so its files cannot be removed; should the silo return, nothing refers to them.
                    await RemoveReplica(s, dead.Key, drop: false);
                }
            }
        }
    }

    // Creates a replica of the shard on the target, known to the layout (lagging) before it holds anything, then
    // brings it level and into service. One that cannot be brought level is taken out again.
    private async Task<bool> AddReplica(int shard, string target)
    {
        var layout = _layout!;
        var number = layout.Version + 1;
        var key = $"{Name}/{shard}/{number}@{target}";
        if (!await TryCall(() => Replica(key).Create(new ReplicaSpec(Name, shard, (int)number, layout.Space, layout.Stemming))))
        {
            return false;
        }

        var current = layout.Shards[shard];
        await Replace(shard, current with { Replicas = [.. current.Replicas, new ReplicaLayout(key, target, ReplicaState.Lagging)] });
        if (await CatchUpAndServe(shard, key))
        {
            return true;
        }

        await RemoveReplica(shard, key, drop: true);
        return false;
    }

    // Replays most of the gap (or copies whole when the primary's log no longer reaches back far enough), joins the
    // write set, then replays what was written meanwhile: after that every write reaches it, so it can serve reads.
    private async Task<bool> CatchUpAndServe(int s, string key)
    {
        var shard = _layout!.Shards[s];
        var primary = Replica(shard.PrimaryReplica.Key);
        var target = Replica(key);
        var caughtUp = await TryCall(async () =>
        {
            await target.StepDown();
            await target.CatchUp(shard.PrimaryReplica.Key);
            await primary.SetFollowers(Followers(shard).Append(key).ToArray());
            await target.CatchUp(shard.PrimaryReplica.Key);
        });
        if (!caughtUp)
        {
            return false;
        }

        logger.LogInformation("Replica {Replica} of {Collection} caught up and serves.", key, Name);
        shard = _layout.Shards[s];
        await Replace(s, shard with { Replicas = shard.Replicas.Select(x => x.Key == key ? x with { State = ReplicaState.Live } : x).ToArray() });
        return true;
    }

    // A planned change of primary: the old one finishes the write in progress and stops, then the live replica
    // furthest along (every follower in the write set holds all that was acknowledged) takes over.
    private async Task<bool> HandOver(int s)
    {
        var shard = _layout!.Shards[s];
        if (!await TryCall(() => Replica(shard.PrimaryReplica.Key).Handover()))
        {
            return false;
        }

        var leaving = shard with { Replicas = shard.Replicas.Select((r, i) => i == shard.Primary ? r with { State = ReplicaState.Lagging } : r).ToArray() };
        ShardLayout? promoted = null;
        if (!await TryCall(async () => promoted = await Failover(s, leaving)) || promoted!.PrimaryReplica.State != ReplicaState.Live)
        {
            // The old primary stepped down: the next round sees it no longer leads and fails over as after a crash.
            return false;
        }

        await Replace(s, promoted);
        return true;
    }

    // Out of the write set, out of the layout, then (when its silo is there) its files removed.
    private async Task RemoveReplica(int s, string key, bool drop)
    {
        var shard = _layout!.Shards[s];
        var index = Array.FindIndex(shard.Replicas, r => r.Key == key);
        if (index < 0 || index == shard.Primary)
        {
            return;
        }

        var updated = shard with
        {
            Replicas = shard.Replicas.Where((_, i) => i != index).ToArray(),
            Primary = shard.Primary > index ? shard.Primary - 1 : shard.Primary,
        };
        await TryCall(() => Replica(updated.PrimaryReplica.Key).SetFollowers(Followers(updated)));
        await Replace(s, updated);
        if (drop)
        {
            await TryCall(() => Replica(key).Drop());
        }
    }

    public async Task Drop()
    {
        if (_layout is null)
        {
            return;
        }

        // Every replica's files go, or none: a silo that is away would come back with its replicas and its copy of
        // the layout, and bring the collection back half-dropped.
        var active = ActiveSilos().ToHashSet(StringComparer.Ordinal);
        var away = _layout.Shards.SelectMany(s => s.Replicas).Select(r => r.Silo).Where(s => !active.Contains(s)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (away.Count > 0)
        {
            throw new QuiverException(
                $"The distributed collection '{Name}' has replicas on silos that are not in the cluster now ({string.Join(", ", away)}); nothing was deleted. Start those silos again, then delete it.");
        }

        var failed = new List<string>();
        foreach (var replica in _layout.Shards.SelectMany(s => s.Replicas))
        {
            if (!await TryCall(() => Replica(replica.Key).Drop()))
            {
                failed.Add(replica.Key);
            }
        }

        if (failed.Count > 0)
        {
            throw new QuiverException(
                $"Deleting the distributed collection '{Name}' did not reach the replicas {string.Join(", ", failed)}; it still exists, and the others' files are gone. Delete it again once their silos answer.");
        }

        foreach (var silo in active)
        {
            await TryCall(() => Catalog(silo).Remove(Name));
        }

        _layout = null;
        this.DeactivateOnIdle();
    }

    // The live replica furthest along takes over, first taking anything another live replica holds beyond it.
    private async Task<ShardLayout> Failover(int shard, ShardLayout current)
    {
        var candidates = new List<(int Index, long Number)>();
        for (var i = 0; i < current.Replicas.Length; i++)
        {
            if (current.Replicas[i].State != ReplicaState.Live)
            {
                continue;
            }

            try
            {
                candidates.Add((i, (await Replica(current.Replicas[i].Key).Position()).Number));
            }
            catch (Exception e) when (e is not QuiverException)
            {
                current = current with { Replicas = current.Replicas.Select((r, j) => j == i ? r with { State = ReplicaState.Lagging } : r).ToArray() };
            }
        }

        await TryCall(() => Replica(current.PrimaryReplica.Key).StepDown());
        if (candidates.Count == 0)
        {
            logger.LogError("Shard {Shard} of {Collection} has no live replica left; its writes and reads fail until one returns.", shard, Name);
            return current;
        }

        var chosen = candidates.MaxBy(c => c.Number).Index;
        var promoted = current with { Primary = chosen, Epoch = current.Epoch + 1 };
        await Replica(promoted.PrimaryReplica.Key).BecomePrimary(promoted.Epoch, Followers(promoted));
        logger.LogWarning("Replica {Replica} is now primary of shard {Shard} of {Collection} (epoch {Epoch}).", promoted.PrimaryReplica.Key, shard, Name, promoted.Epoch);
        return promoted;
    }

    private static string[] Followers(ShardLayout shard) =>
        shard.Replicas.Where((r, i) => i != shard.Primary && r.State == ReplicaState.Live).Select(r => r.Key).ToArray();

    private async Task Replace(int shard, ShardLayout updated)
    {
        var layout = Existing();
        _layout = layout with { Shards = layout.Shards.Select((s, i) => i == shard ? updated : s).ToArray(), Version = layout.Version + 1 };
        await Save();
    }

    private async Task Save()
    {
        foreach (var silo in ActiveSilos())
        {
            await TryCall(() => Catalog(silo).Save(_layout!));
        }
    }

    private async Task<bool> TryCall(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (Exception e) when (e is not QuiverException)
        {
            logger.LogInformation(e, "A call from collection {Collection} failed; it is retried later.", Name);
            return false;
        }
    }

    private CollectionLayout Existing() =>
        _layout ?? throw new QuiverException($"There is no distributed collection '{Name}'. Create it first.");

    private List<string> ActiveSilos() =>
        oracle.GetApproximateSiloStatuses(onlyActive: true).Keys
            .Select(s => oracle.TryGetSiloName(s, out var name) ? name : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private IShardReplicaGrain Replica(string key) => grains.GetGrain<IShardReplicaGrain>(key);

    private ISiloCatalogGrain Catalog(string silo) => grains.GetGrain<ISiloCatalogGrain>("catalog@" + silo);
}
