using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Storage;

namespace Quiver.Store.Reembedding;

/// <summary>
/// Builds a new version of a collection with another model (or another revision of its model) from the texts it
/// stores, while the collection keeps answering from its old version, then switches to it atomically.
/// <para>
/// The new version is a database of its own. It is filled by replaying the source's changes in sequence order, a
/// batch per transaction, with the source sequence number it has reached (its checkpoint) written in the same
/// transaction: a run stopped at any point (kill -9 included) is resumed by running the job again, from the batch after
/// the last one written. Writes made to the collection meanwhile are changes like any other and are replayed too; the
/// last ones under the collection's write lock, so none is missed. Then the old database is marked as replaced (it
/// refuses writes from handles opened before) and the collection's "current" file is renamed to name the new version;
/// the old one is removed once no reader has it open. With <see cref="ReembedOptions.Into"/> the new version becomes
/// a new collection instead and the source stays as it is.
/// </para>
/// <para>
/// Texts get the generator's own treatment: give it a generator that puts the document prompt the new space records
/// before each text. Points without text cannot be embedded again; they are refused up front (count and ids) unless
/// <see cref="ReembedOptions.DropTextless"/> leaves them out.
/// </para>
/// </summary>
public sealed class ReembedJob(CollectionStore store, string source, IEmbeddingGenerator<string, Embedding<float>> generator, ReembedOptions? options = null)
{
    /// <summary>The most ids of points without text that a refusal or a result names.</summary>
    public const int TextlessIdsShown = 100;

    private readonly ReembedOptions _options = options ?? new ReembedOptions();

    public async Task<ReembedResult> RunAsync(IProgress<ReembedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var from = store.Open(source);
        var (space, target, textless, textlessIds) = Check(from);

        using var running = TakeLock(target);
        var (folder, version) = Prepare(from, target, space);
        using var to = store.OpenAt(target, folder);
        var checkpoint = long.Parse(to.ReadMeta(Collection.ReembedCheckpointKey) ?? "0", CultureInfo.InvariantCulture);
        var resumedFrom = checkpoint;
        var total = from.CountChangedAfter(checkpoint);
        long done = 0, embedded = 0, reused = 0;
        void Report(string phase) => progress?.Report(new ReembedProgress(phase, done, Math.Max(total, done), checkpoint, resumedFrom > 0));

        // Replays changes after the checkpoint until a read finds fewer than `until` (a part batch: caught up to within
        // one batch), or none at all with 1.
        async Task CatchUp(string phase, int until, Microsoft.Data.Sqlite.SqliteTransaction? locked)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = from.ChangesAfter(checkpoint, _options.BatchSize, locked);
                if (page.Count == 0)
                {
                    return;
                }

                var (wrote, newlyEmbedded, kept) = await ApplyAsync(to, page, cancellationToken);
                checkpoint = page[^1].Sequence;
                done += wrote;
                embedded += newlyEmbedded;
                reused += kept;
                Report(phase);
                if (page.Count < until)
                {
                    return;
                }
            }
        }

        Report("re-embedding");
        await CatchUp("re-embedding", _options.BatchSize, null);

        // Build the new version's search index before the switch, so its first searches do not wait for it.
        Report("indexing");
        to.Flush();
        await CatchUp("catching up", _options.BatchSize, null);

        Report("switching");
        if (_options.Into is not null)
        {
            await CatchUp("catching up", 1, null);
            to.Flush();
            to.Dispose();
            CollectionDatabase.ClearPool(to.DatabasePath);
            store.Publish(target, folder);
            (textless, textlessIds) = from.Textless(TextlessIdsShown);
            Report("done");
            return Result(store.DatabasePath(target), 0);
        }

        var writes = from.LockWrites();
        var connection = writes.Connection!;
        using (connection)
        using (writes)
        {
            // Writers wait from here to the switch; readers go on with the old version.
            await CatchUp("switching", 1, writes);
            (textless, textlessIds) = from.Textless(TextlessIdsShown);
            to.Flush();
            to.Dispose();
            CollectionDatabase.ClearPool(to.DatabasePath);
            Collection.Retire(writes, version!);
        }

        var collectionFolder = Path.Combine(store.Root, source);
        CollectionFolders.WriteVersion(collectionFolder, CollectionFolders.CurrentVersionFile, version!);
        File.Delete(Path.Combine(collectionFolder, CollectionFolders.PendingVersionFile));
        Report("done");
        var kept = await RemoveOldAsync(cancellationToken);
        return Result(store.DatabasePath(target), kept);

        ReembedResult Result(string path, int retiredKept) => new(
            target, source, from.Space, space, CountAt(path), embedded, reused, textless, textlessIds, resumedFrom, clock.Elapsed, path, retiredKept);
    }

    /// <summary>
    /// Checks, without starting, what would stop the job at once (no such collection, the same space, points without
    /// text, a target name taken), so a host can refuse the request before running it in the background.
    /// </summary>
    public void Validate()
    {
        using var from = store.Open(source);
        _ = Check(from);
    }

    private (EmbeddingSpace Space, string Target, long Textless, List<string> TextlessIds) Check(Collection from)
    {
        if (_options.BatchSize < 1)
        {
            throw new QuiverException($"The re-embedding batch size is {_options.BatchSize}; it must be at least 1.");
        }

        var space = generator.GetService<EmbeddingSpace>()
            ?? throw new QuiverException("The generator does not say which embedding space its vectors are in, so the new version could not record it. Open the model through Quiver's catalogue.");
        if (_options.Into is null && !_options.Force && !from.Space.IsRaw && from.Space.Accepts(space))
        {
            throw new QuiverException(
                $"Collection '{source}' already holds vectors from {space}: re-embedding it with the same model and revision changes nothing. " +
                "Name another model, re-embed into a new collection (--into, \"into\"), or embed again anyway (--force, \"force\": true).");
        }

        if (_options.Into is { } into && store.Exists(into))
        {
            throw new QuiverException($"A collection named '{into}' already exists in {store.Root}. Re-embed into a new name, or delete that collection first.");
        }

        var (textless, textlessIds) = from.Textless(TextlessIdsShown);
        if (textless > 0 && !_options.DropTextless)
        {
            throw TextlessRefused(textless, textlessIds);
        }

        return (space, _options.Into ?? source, textless, textlessIds);
    }

    private static long CountAt(string databasePath)
    {
        using var connection = CollectionDatabase.Open(CollectionDatabase.ConnectionString(databasePath, create: false));
        return PointTable.Count(connection);
    }

    // The old version outlives the switch by the store's grace, so readers that picked it up just before finish.
    private async Task<int> RemoveOldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(store.RetiredVersionGrace + TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return 1;
        }

        return store.RemoveRetiredVersions(source);
    }

    // One batch of changes: each point's last change wins (a point deleted and added again in one batch is added).
    private async Task<(int Wrote, int Embedded, int Reused)> ApplyAsync(Collection to, List<PointChange> page, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, PointChange>(StringComparer.Ordinal);
        foreach (var change in page)
        {
            latest[change.Id] = change;
        }

        var deletions = latest.Values.Where(c => c.Deleted || !c.HasText).Select(c => c.Id).ToList();
        var textless = latest.Values.Where(c => !c.Deleted && !c.HasText).ToList();
        if (textless.Count > 0 && !_options.DropTextless)
        {
            // Written to the collection after the run began (the check at the start found none).
            throw TextlessRefused(textless.Count, textless.Select(c => c.Id).Take(TextlessIdsShown).ToList());
        }

        var live = latest.Values.Where(c => !c.Deleted && c.HasText).ToList();
        var existing = to.TextsAndVectors(live.Select(c => c.Id));
        var fresh = live.Where(c => !existing.TryGetValue(c.Id, out var e) || e.Text != c.Text).ToList();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (fresh.Count > 0)
        {
            var embeddings = await generator.GenerateAsync(fresh.Select(c => c.Text!), cancellationToken: cancellationToken);
            if (embeddings.Count != fresh.Count)
            {
                throw new QuiverException($"The model returned {embeddings.Count} vectors for {fresh.Count} texts; nothing of this batch was written. Check the model.");
            }

            for (var i = 0; i < fresh.Count; i++)
            {
                vectors[fresh[i].Id] = embeddings[i].Vector.ToArray();
            }
        }

        var points = live.Select(c => new Point(
            c.Id, vectors.TryGetValue(c.Id, out var v) ? v : existing[c.Id].Vector, Collection.ParsePayload(c.Payload), c.Text)).ToList();
        to.ApplyReembedded(points, deletions, page[^1].Sequence);
        return (points.Count, fresh.Count, points.Count - fresh.Count);
    }

    // Finds the unfinished version of this re-embedding, or starts a new one: its folder and (in place) its version name.
    private (string Folder, string? Version) Prepare(Collection from, string target, EmbeddingSpace space)
    {
        if (_options.Into is not null)
        {
            var staging = Path.Combine(store.Root, CollectionFolders.Reembedding, target);
            if (!Resumable(staging, from, space, target))
            {
                Discard(staging);
                Start(staging, from, target, space);
            }

            return (staging, null);
        }

        var folder = Path.Combine(store.Root, source);
        var current = CollectionFolders.ReadVersion(folder, CollectionFolders.CurrentVersionFile);
        var pending = CollectionFolders.ReadVersion(folder, CollectionFolders.PendingVersionFile);
        if (pending is not null && pending != current && Resumable(Path.Combine(folder, pending), from, space, target))
        {
            return (Path.Combine(folder, pending), pending);
        }

        if (pending is not null && pending != current)
        {
            Discard(Path.Combine(folder, pending));
        }

        var version = CollectionFolders.NewVersion();

        // Named before it is made, so a run stopped at any point finds (and resumes or discards) it.
        CollectionFolders.WriteVersion(folder, CollectionFolders.PendingVersionFile, version);
        Start(Path.Combine(folder, version), from, target, space);
        return (Path.Combine(folder, version), version);
    }

    // Whether the folder holds an unfinished re-embedding of this source into this space; one of something else is
    // refused unless the options say to restart.
    private bool Resumable(string folder, Collection from, EmbeddingSpace space, string target)
    {
        if (!File.Exists(Path.Combine(folder, CollectionDatabase.FileName)))
        {
            return false;
        }

        using var unfinished = store.OpenAt(target, folder);
        var sameSource = unfinished.ReadMeta(Collection.ReembedSourceKey) == from.CollectionId.ToString("N");
        var sameSpace = unfinished.Space.Accepts(space) && unfinished.Space.Metric == space.Metric;
        if (sameSource && sameSpace)
        {
            return true;
        }

        if (_options.Restart)
        {
            return false;
        }

        var what = !sameSpace ? $"into {unfinished.Space}, not {space}" : "of an earlier collection of that name";
        throw new QuiverException(
            $"An unfinished re-embedding of '{source}' {what} is in {folder}. Finish it by running the same re-embedding again, " +
            "or pass --restart to discard it and start this one.");
    }

    private void Start(string folder, Collection from, string target, EmbeddingSpace space)
    {
        Directory.CreateDirectory(folder);
        CollectionStore.CreateDatabase(folder, target, new CollectionOptions(space, from.IndexOptions, new Keyword.KeywordOptions(from.KeywordStemming)));
        using var created = store.OpenAt(target, folder);
        created.WriteMeta(Collection.ReembedSourceKey, from.CollectionId.ToString("N"));
        foreach (var (field, kind) in from.PayloadIndexes)
        {
            created.CreatePayloadIndex(field, kind);
        }
    }

    private static void Discard(string folder)
    {
        if (Directory.Exists(folder))
        {
            CollectionDatabase.ClearPool(Path.Combine(folder, CollectionDatabase.FileName));
            Directory.Delete(folder, recursive: true);
        }
    }

    // One re-embedding per target at a time, across processes; the OS lets go of it when a run dies.
    private FileStream TakeLock(string target)
    {
        var folder = _options.Into is null ? Path.Combine(store.Root, source) : Path.Combine(store.Root, CollectionFolders.Reembedding);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, _options.Into is null ? ".reembedding.lock" : $"{target}.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new QuiverException($"Another re-embedding of '{target}' is running (it holds {path}). Wait for it to finish, or stop it and run this again to resume it.", e);
        }
    }

    private QuiverException TextlessRefused(long count, IReadOnlyList<string> ids) => new(
        $"Collection '{source}' has {count} point(s) without text, which cannot be embedded again (ids: {string.Join(", ", ids)}{(count > ids.Count ? ", …" : string.Empty)}). " +
        "Give them text (upsert them again), delete them, or leave them out of the new version (--drop-textless; \"drop_textless\": true over HTTP).");
}
