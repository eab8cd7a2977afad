using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Quiver.Cluster.Wire;
using Quiver.Core;
using Quiver.Store.Keyword;

namespace Quiver.Cluster.Grains;

/// <inheritdoc cref="ICollectionGrain"/>
/// <remarks>Kept active: its timer brings lagging replicas back even when nobody calls.</remarks>
[CollectionAgeLimit(AlwaysActive = true)]
internal sealed class CollectionGrain(ISiloStatusOracle oracle, IGrainFactory grains, ILogger<CollectionGrain> logger) : Grain, ICollectionGrain
{
    private static readonly TimeSpan HealEvery = TimeSpan.FromSeconds(2);
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
                var replica = shard.Replicas[r];
                if (replica.State != ReplicaState.Lagging || !active.Contains(replica.Silo))
                {
                    continue;
                }

                var primary = Replica(shard.PrimaryReplica.Key);
                var target = Replica(replica.Key);
                var caughtUp = await TryCall(async () =>
                {
                    // Replay most of the gap, join the write set, then replay what was written meanwhile: after
                    // that every write reaches it, so it can serve reads.
                    await target.StepDown();
                    await target.CatchUp(shard.PrimaryReplica.Key);
                    await primary.SetFollowers(Followers(shard).Append(replica.Key).ToArray());
                    await target.CatchUp(shard.PrimaryReplica.Key);
                });
                if (caughtUp)
                {
                    logger.LogInformation("Replica {Replica} of {Collection} caught up and serves again.", replica.Key, Name);
                    shard = shard with { Replicas = shard.Replicas.Select((x, i) => i == r ? x with { State = ReplicaState.Live } : x).ToArray() };
                    await Replace(s, shard);
                }
            }
        }

        return _layout;
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
