using System.IO.Hashing;
using System.Text;
using Orleans.Runtime;
using Quiver.Cluster.Grains;
using Quiver.Cluster.Wire;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Search;
using Quiver.Store.Keyword;

namespace Quiver.Cluster;

/// <summary>
/// A collection sharded and replicated across the silos of an Orleans cluster, used from any silo or client. Points
/// go to shard xxHash32(id) mod shards. A write is acknowledged once every live replica of its shard committed it
/// (the shard's primary numbers it and waits for its followers); a follower that fails is taken out of service and
/// the write still succeeds on the others; a failed primary is replaced by the live replica furthest along and the
/// write retried. Reads ask one live replica per shard and merge; keyword scores use the whole collection's BM25
/// statistics, and fusion, thresholds and MMR run after the merge, so in exact mode the answer is the one a single
/// collection holding the same points gives.
/// </summary>
public sealed class DistributedCollection
{
    private const int Attempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private readonly IGrainFactory _grains;
    private int _turn;

    private DistributedCollection(IGrainFactory grains, CollectionLayout layout)
    {
        _grains = grains;
        Layout = layout;
        Space = layout.Space.ToSpace();
    }

    public string Name => Layout.Name;

    public EmbeddingSpace Space { get; }

    /// <summary>The layout as last read: shards, replicas, silos, states.</summary>
    public CollectionLayout Layout { get; private set; }

    public static async Task<DistributedCollection> CreateAsync(IGrainFactory grains, string name, DistributedCollectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        CheckName(name);
        var layout = await Local(() => grains.GetGrain<ICollectionGrain>(name).Create(WireSpace.From(options.Space), options.Stemming, options.Shards, options.ReplicationFactor));
        return new DistributedCollection(grains, layout);
    }

    /// <summary>The distributed collection called <paramref name="name"/> as it stands now, or null when there is none.</summary>
    public static async Task<DistributedCollection?> TryOpenAsync(IGrainFactory grains, string name)
    {
        ArgumentNullException.ThrowIfNull(grains);
        CheckName(name);
        return await grains.GetGrain<ICollectionGrain>(name).Layout() is { } layout ? new DistributedCollection(grains, layout) : null;
    }

    /// <summary>The names of the distributed collections in the cluster, in ordinal order.</summary>
    /// <remarks>
    /// Every active silo's catalogue is asked (a silo that was down when a collection was created lacks it), and each
    /// name is checked with its collection grain, which is the authority on whether it exists.
    /// </remarks>
    public static async Task<IReadOnlyList<string>> ListAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            names.UnionWith(await grains.GetGrain<ISiloCatalogGrain>("catalog@" + host.SiloName).Names());
        }

        var found = new List<string>();
        foreach (var name in names)
        {
            if (await grains.GetGrain<ICollectionGrain>(name).Layout() is not null)
            {
                found.Add(name);
            }
        }

        return found;
    }

    public static async Task<DistributedCollection> OpenAsync(IGrainFactory grains, string name)
    {
        ArgumentNullException.ThrowIfNull(grains);
        CheckName(name);
        var layout = await grains.GetGrain<ICollectionGrain>(name).Layout()
            ?? throw NotFound(name);
        return new DistributedCollection(grains, layout);
    }

    /// <summary>The shard a point id belongs to.</summary>
    public static int ShardOf(string id, int shards) => (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(id)) % (uint)shards);

    public Task UpsertAsync(IReadOnlyList<Point> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < points.Count; i++)
        {
            if (string.IsNullOrEmpty(points[i].Id) || !seen.Add(points[i].Id))
            {
                throw new QuiverException($"Point {i}: the id '{points[i].Id}' is empty or appears twice in one batch. Give each point its own id.");
            }

            if (points[i].Vector.Length != Space.Dimensions)
            {
                throw new InvalidVectorException(
                    $"Point '{points[i].Id}' has {points[i].Vector.Length} dimensions but collection '{Name}' holds {Space.Dimensions}-dimensional vectors from {Space}.");
            }

            // Checked here as each shard's collection would, so bad input is refused whole instead of after some
            // shards took their part.
            VectorMath.CheckFinite(points[i].Vector, $"vector of point '{points[i].Id}'");
            if (Space.Metric == DistanceMetric.Cosine && !points[i].Vector.AsSpan().ContainsAnyExcept(0f))
            {
                throw new InvalidVectorException(
                    $"Point '{points[i].Id}' has a zero vector, which has no direction in the Cosine collection '{Name}'. Check the input that produced it.");
            }
        }

        return WriteShardsAsync(points.GroupBy(p => ShardOf(p.Id, Layout.Shards.Length))
            .Select(g => new ShardWrite(g.Key, [.. g.Select(p => p.Id)], r => r.Write([.. g.Select(WirePoint.From)], null))));
    }

    /// <summary>Deletes the points with these ids (ids that do not exist are skipped).</summary>
    public Task DeleteAsync(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return WriteShardsAsync(ByShard(ids).Select(g => new ShardWrite(g.Shard, g.Ids, r => r.Write(null, g.Ids))));
    }

    /// <summary>
    /// Deletes every point matching <paramref name="filter"/>. Each shard's primary finds the matching ids when it
    /// numbers the write and logs those ids, so every replica (and any that catches up later) deletes the same points.
    /// </summary>
    public Task DeleteAsync(PayloadFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var json = FilterJson.Write(filter);
        return WriteShardsAsync(EveryShard(r => r.WriteSelected(null, json, null)));
    }

    /// <summary>Edits the payload of the points with these ids as <paramref name="change"/> says (ids that do not exist are skipped).</summary>
    public Task EditPayloadAsync(IReadOnlyList<string> ids, PayloadChange change)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(change);
        return WriteShardsAsync(ByShard(ids).Select(g => new ShardWrite(g.Shard, g.Ids, r => r.WriteSelected(g.Ids, null, change))));
    }

    /// <summary>Edits the payload of every point matching <paramref name="filter"/>, the matches found on each shard's primary as for a delete by filter.</summary>
    public Task EditPayloadAsync(PayloadFilter filter, PayloadChange change)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(change);
        var json = FilterJson.Write(filter);
        return WriteShardsAsync(EveryShard(r => r.WriteSelected(null, json, change)));
    }

    /// <summary>
    /// Deletes the collection: every replica's files on every silo, and its layout from the collection grain and every
    /// silo's catalogue, so the name can be created again. Refused, with nothing removed, while a silo holding one of
    /// its replicas is not in the cluster.
    /// </summary>
    public Task DropAsync() => Local(async () =>
    {
        await Collection().Drop();
        return true;
    });

    /// <summary>Dense, keyword or hybrid search as <see cref="Collection.Search(SearchRequest)"/> runs it, over every shard.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.K <= 0)
        {
            throw new QuiverException($"The number of results (K) is {request.K}; it must be at least 1.");
        }

        if (request.Candidates <= 0)
        {
            throw new QuiverException($"Candidates per side is {request.Candidates}; it must be at least 1.");
        }

        if (request.Source is { } source)
        {
            Space.EnsureAccepts(source, $"Search in collection '{Name}'");
        }

        var mode = HybridRanking.ModeOf(request);
        var depth = HybridRanking.Depth(request, mode);
        var filter = FilterJson.Write(request.Filter);
        var dense = mode == SearchMode.Keyword ? [] : await DenseAsync(request.Vector!, depth, filter, request.Ef, request.Exact);
        var keyword = mode == SearchMode.Dense ? [] : await KeywordAsync(request.Text!, depth, filter);
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (request.MmrLambda is not null)
        {
            foreach (var point in await GetAsync(dense.Concat(keyword).Select(h => h.Id).Distinct(StringComparer.Ordinal).ToList(), withVectors: true))
            {
                vectors[point.Id] = point.Vector;
            }
        }

        var ranked = HybridRanking.Rank(request, mode, Space.Metric, dense, keyword,
            ids => ids.Select(id => vectors.TryGetValue(id, out var v) ? v : new float[Space.Dimensions]).ToArray());
        if (!request.WithVectors && request.WithPayload)
        {
            return ranked;
        }

        var stored = request.WithVectors
            ? (await GetAsync(ranked.Select(h => h.Id).ToList(), withVectors: true)).ToDictionary(p => p.Id, p => p.Vector, StringComparer.Ordinal)
            : null;
        return [.. ranked.Select(h => (request.WithPayload ? h : h with { Payload = null, Text = null }) with { Vector = stored?.GetValueOrDefault(h.Id) })];
    }

    /// <summary>The k nearest points to <paramref name="query"/> over every shard.</summary>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(float[] query, int k, PayloadFilter? filter = null, int? ef = null, bool exact = false) =>
        SearchAsync(new SearchRequest { Vector = query, K = k, Filter = filter, Ef = ef, Exact = exact, Mode = SearchMode.Dense });

    /// <summary>BM25 over every shard, with the document frequencies and average length of the whole collection.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchKeywordAsync(string query, int k, PayloadFilter? filter = null)
    {
        if (k < 1)
        {
            throw new QuiverException($"The number of results is {k}; it must be at least 1.");
        }

        return await KeywordAsync(query, k, FilterJson.Write(filter));
    }

    /// <summary>A page of points in id order (shorter ids first), as <see cref="Collection.Scroll"/> gives them.</summary>
    public async Task<ScrollPage> ScrollAsync(int limit, string? offset = null, PayloadFilter? filter = null, bool withVectors = false)
    {
        if (limit < 1)
        {
            throw new QuiverException($"The page size is {limit}; it must be at least 1.");
        }

        var json = FilterJson.Write(filter);
        var pages = await Task.WhenAll(Enumerable.Range(0, Layout.Shards.Length).Select(s => ReadAsync(s, r => r.Scroll(limit, offset, json, withVectors))));
        var merged = pages.SelectMany(p => p.Points).OrderBy(p => p.Id, IdOrder.Instance).ToList();
        var next = pages.Select(p => p.NextOffset).OfType<string>().Concat(merged.Skip(limit).Select(p => p.Id)).Order(IdOrder.Instance).FirstOrDefault();
        return new ScrollPage(merged.Take(limit).Select(p => p.ToPoint()).ToList(), next);
    }

    public async Task<long> CountAsync(PayloadFilter? filter = null)
    {
        var json = FilterJson.Write(filter);
        var counts = await Task.WhenAll(Enumerable.Range(0, Layout.Shards.Length).Select(s => ReadAsync(s, r => r.Count(json))));
        return counts.Sum();
    }

    /// <summary>The points with these ids that exist, in the order asked.</summary>
    public async Task<IReadOnlyList<Point>> GetAsync(IReadOnlyList<string> ids, bool withVectors = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).GroupBy(id => ShardOf(id, Layout.Shards.Length))
            .Select(g => ReadAsync(g.Key, r => r.Get(g.ToArray(), withVectors))));
        var byId = found.SelectMany(f => f).ToDictionary(p => p.Id, StringComparer.Ordinal);
        return ids.Distinct(StringComparer.Ordinal).Where(byId.ContainsKey).Select(id => byId[id].ToPoint()).ToList();
    }

    /// <summary>Every replica with its silo, state, position and lag behind its primary (null where it did not answer).</summary>
    public async Task<IReadOnlyList<ReplicaStatus>> InspectAsync()
    {
        Layout = await Collection().Layout() ?? throw NotFound(Name);
        var statuses = new List<ReplicaStatus>();
        for (var s = 0; s < Layout.Shards.Length; s++)
        {
            var shard = Layout.Shards[s];
            var positions = new long?[shard.Replicas.Length];
            for (var r = 0; r < shard.Replicas.Length; r++)
            {
                try
                {
                    positions[r] = (await _grains.GetGrain<IShardReplicaGrain>(shard.Replicas[r].Key).Position().WaitAsync(TimeSpan.FromSeconds(5))).Number;
                }
                catch (Exception e) when (e is not RemoteQuiverException)
                {
                    positions[r] = null;
                }
            }

            for (var r = 0; r < shard.Replicas.Length; r++)
            {
                var replica = shard.Replicas[r];
                statuses.Add(new ReplicaStatus(s, r, replica.Silo, replica.State, r == shard.Primary, positions[r], positions[shard.Primary] - positions[r]));
            }
        }

        return statuses;
    }

    /// <summary>
    /// Spreads the replicas evenly over the silos now in the cluster (for example after a silo joined): each move
    /// creates a replica on a silo holding fewer, catches it up (copy and replay), puts it in the write set and in
    /// service, then drops the old one. Reads and writes go on throughout; replicas of one shard stay on different silos.
    /// </summary>
    public async Task RebalanceAsync() => Layout = await Local(() => Collection().Rebalance());

    /// <summary>Asks the collection's grain to bring lagging replicas back now rather than at its next round.</summary>
    public async Task HealAsync() => Layout = await Collection().Heal() ?? throw NotFound(Name);

    private async Task<List<SearchHit>> DenseAsync(float[] vector, int depth, string? filter, int? ef, bool exact)
    {
        var parts = await Task.WhenAll(Enumerable.Range(0, Layout.Shards.Length).Select(s => ReadAsync(s, r => r.Search(vector, depth, filter, ef, exact))));

        // Euclidean scores are distances (lower is better); the others are similarities. Ties go by id.
        var lowerIsBetter = Space.Metric == DistanceMetric.Euclidean;
        var hits = parts.SelectMany(p => p);
        var ordered = lowerIsBetter ? hits.OrderBy(h => h.Score) : hits.OrderByDescending(h => h.Score);
        return ordered.ThenBy(h => h.Id, StringComparer.Ordinal).Take(depth).Select(h => h.ToHit()).ToList();
    }

    private async Task<List<SearchHit>> KeywordAsync(string query, int depth, string? filter)
    {
        var shards = Enumerable.Range(0, Layout.Shards.Length).ToArray();
        var corpora = await Task.WhenAll(shards.Select(s => ReadAsync(s, r => r.KeywordCorpus(query))));
        var corpus = WireCorpus.From(KeywordCorpus.Sum(corpora.Select(c => c.ToCorpus()).ToList()));
        var parts = await Task.WhenAll(shards.Select(s => ReadAsync(s, r => r.SearchKeyword(query, depth, filter, corpus))));
        return parts.SelectMany(p => p).OrderByDescending(h => h.Score).ThenBy(h => h.Id, StringComparer.Ordinal).Take(depth).Select(h => h.ToHit()).ToList();
    }

    // One live replica of the shard answers, turn by turn; a replica that fails is reported and the next one asked.
    private async Task<T> ReadAsync<T>(int shard, Func<IShardReplicaGrain, Task<T>> read)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var live = Layout.Shards[shard].Live.ToArray();
            if (live.Length == 0)
            {
                await Task.Delay(RetryDelay);
                await RefreshAsync();
                continue;
            }

            var replica = live[(int)((uint)Interlocked.Increment(ref _turn) % live.Length)];
            try
            {
                return await Local(() => read(_grains.GetGrain<IShardReplicaGrain>(replica.Key)));
            }
            catch (Exception e) when (e is not QuiverException)
            {
                last = e;
                await ReportAsync(shard, replica.Key);
            }
        }

        throw new ShardUnavailableException(
            $"Shard {shard} of '{Name}' has no replica that answers (silos {string.Join(", ", Layout.Shards[shard].Replicas.Select(r => r.Silo))}); start the silos again. Last error: {last?.Message}");
    }

    private IEnumerable<(int Shard, string[] Ids)> ByShard(IReadOnlyList<string> ids) =>
        ids.Distinct(StringComparer.Ordinal).GroupBy(id => ShardOf(id, Layout.Shards.Length)).Select(g => (g.Key, g.ToArray()));

    private IEnumerable<ShardWrite> EveryShard(Func<IShardReplicaGrain, Task<WriteResult>> write) =>
        Enumerable.Range(0, Layout.Shards.Length).Select(s => new ShardWrite(s, null, write));

    // Each shard applies its part atomically on its live replicas; the shards go in parallel and independently, so a
    // write that spans shards can end applied on some: the error then says which ids (or shards) were acknowledged.
    private async Task WriteShardsAsync(IEnumerable<ShardWrite> writes)
    {
        var parts = writes.ToList();
        var tasks = parts.Select(p => WriteAsync(p.Shard, p.Write)).ToArray();
        try
        {
            await Task.WhenAll(tasks);
            return;
        }
        catch (QuiverException e) when (parts.Count > 1 && tasks.All(t => !t.IsCompletedSuccessfully) && e is not StoredDataException)
        {
            var message = $"None of the write to '{Name}' was acknowledged: every shard it touched ({string.Join(", ", parts.Select(p => p.Shard))}) refused its part. Cause: {e.Message}";
            throw e is ShardUnavailableException ? new ShardUnavailableException(message) : new QuiverException(message, e);
        }
        catch (Exception) when (tasks.Any(t => t.IsCompletedSuccessfully))
        {
            var done = parts.Where((_, i) => tasks[i].IsCompletedSuccessfully).ToList();
            var failed = parts.Where((_, i) => !tasks[i].IsCompletedSuccessfully).ToList();
            var cause = tasks.First(t => !t.IsCompletedSuccessfully).Exception!.InnerException!;
            var acknowledged = done.SelectMany(p => p.Ids ?? []).ToList();
            var missing = failed.SelectMany(p => p.Ids ?? []).ToList();
            var byIds = parts.All(p => p.Ids is not null);
            var what = byIds
                ? $"the ids {Sample(acknowledged)} were acknowledged (stored on every live replica of their shard) and the ids {Sample(missing)} were not"
                : $"shards {string.Join(", ", done.Select(p => p.Shard))} applied it to the points they hold and shards {string.Join(", ", failed.Select(p => p.Shard))} did not";
            throw new PartialWriteException(
                $"The write to '{Name}' was applied in part: each shard applies its part atomically, but shards {string.Join(", ", failed.Select(p => p.Shard))} refused theirs, so {what}. "
                + $"Retrying the whole write is safe (it is idempotent). Cause: {cause.Message}",
                acknowledged, missing, [.. done.Select(p => p.Shard)], [.. failed.Select(p => p.Shard)], cause);
        }
    }

    private static string Sample(List<string> ids) =>
        ids.Count <= 20 ? string.Join(", ", ids) : $"{string.Join(", ", ids.Take(20))} and {ids.Count - 20} more";

    private async Task WriteAsync(int shard, Func<IShardReplicaGrain, Task<WriteResult>> write)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var layout = Layout.Shards[shard];
            var primary = layout.PrimaryReplica;
            if (primary.State != ReplicaState.Live)
            {
                await Task.Delay(RetryDelay);
                await RefreshAsync();
                continue;
            }

            try
            {
                var result = await Local(() => write(_grains.GetGrain<IShardReplicaGrain>(primary.Key)));
                foreach (var failed in result.FailedFollowers)
                {
                    await ReportAsync(shard, failed);
                }

                return;
            }
            catch (Exception e) when (e is not QuiverException)
            {
                last = e;
                await ReportAsync(shard, primary.Key);
                await Task.Delay(RetryDelay);
            }
        }

        throw new ShardUnavailableException(
            $"The write to shard {shard} of '{Name}' found no live primary after {Attempts} tries (silos {string.Join(", ", Layout.Shards[shard].Replicas.Select(r => r.Silo))}); nothing of it was acknowledged on this shard, retry once the silos are back. Last error: {last?.Message}");
    }

    // Tells the collection's grain a replica failed and takes the new layout. The grain itself may have been on the
    // silo that went (Orleans activates it again elsewhere once the silo is declared dead), so a failure here is
    // not an answer: the caller's retry loop comes back.
    private async Task ReportAsync(int shard, string replica)
    {
        try
        {
            Layout = await Collection().ReportFailure(shard, replica);
        }
        catch (Exception e) when (e is not RemoteQuiverException)
        {
            await Task.Delay(RetryDelay);
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            Layout = await Collection().Layout() ?? throw NotFound(Name);
        }
        catch (Exception e) when (e is not RemoteQuiverException and not QuiverException)
        {
            await Task.Delay(RetryDelay);
        }
    }

    // A silo's refusal raised here as the Quiver error it was; anything else (a silo gone) is left to the retries.
    private static async Task<T> Local<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RemoteQuiverException e)
        {
            throw e.OriginalType == typeof(InvalidVectorException).FullName ? new InvalidVectorException(e.Message)
                : e.OriginalType == typeof(StoredDataException).FullName ? new StoredDataException(e.StoredPath ?? string.Empty, e.Message)
                : new QuiverException(e.Message);
        }
    }

    private sealed record ShardWrite(int Shard, string[]? Ids, Func<IShardReplicaGrain, Task<WriteResult>> Write);

    private ICollectionGrain Collection() => _grains.GetGrain<ICollectionGrain>(Name);

    private static QuiverException NotFound(string name) =>
        new($"There is no distributed collection '{name}' in this cluster. Create it first, with its shard count and replication factor.");

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new QuiverException($"The collection name '{name}' is not valid: use ASCII letters, digits, '-', '_' and '.'.");
        }
    }
}
