using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Quiver.Core;
using Quiver.Store.Snapshots;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

public sealed partial class CollectionStore
{
    /// <summary>
    /// Restores a snapshot file (<see cref="Collection.WriteSnapshot"/>) as a collection: the file is unpacked into a
    /// staging folder and every part checked against the manifest's SHA-256 before anything is put in place, so a
    /// truncated or damaged file is refused (<see cref="InvalidSnapshotException"/>) and no collection changes. Then the
    /// staged collection is renamed into place, or swapped for an existing one when <see cref="RestoreOptions.Replace"/>
    /// allows it. A name that is an alias restores into the collection it points at. Writes still arriving at a replaced
    /// collection through connections opened before the swap go to the old files and are lost with them.
    /// </summary>
    public RestoredCollection Restore(string file, RestoreOptions? options = null, IProgress<SnapshotProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new RestoreOptions();
        file = Path.GetFullPath(file);
        if (options.Name is not null)
        {
            ValidateName(options.Name);
        }

        var staging = CollectionFolders.NewStagingFolder(Root);
        try
        {
            var manifest = SnapshotArchive.Extract(file, staging, options.Checksum, progress, cancellationToken);
            var name = options.Name ?? manifest.Collection;
            ValidateName(name);
            var (points, sequence) = Prepare(file, Path.Combine(staging, CollectionDatabase.FileName), name);

            using var aliasLock = AliasFile.Lock(Root);
            name = Aliases.Target(name) ?? name;
            var replaced = File.Exists(DatabasePath(name));
            if (replaced && !options.Replace)
            {
                throw new QuiverException(
                    $"A collection named '{name}' already exists in {Root}. Restore under another name (--name), or replace it (--replace; the snapshot is checked before the old collection goes).");
            }

            if (replaced)
            {
                CollectionDatabase.ClearPool(DatabasePath(name));
                if (!CollectionFolders.Swap(Root, Path.Combine(Root, name), staging))
                {
                    _logger?.LogWarning("Collection {Collection}: restored, but the replaced files could not be removed from {Replaced}; delete them by hand.", name, CollectionFolders.Replaced);
                }
            }
            else
            {
                Publish(name, staging);
            }

            return new RestoredCollection(name, points, sequence, replaced, new FileInfo(file).Length);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    // Checks that the staged database is a collection, returns it to WAL mode (the archive holds it self-contained),
    // and records its new name.
    private static (long Points, long Sequence) Prepare(string file, string database, string name)
    {
        try
        {
            using var connection = CollectionDatabase.Open(CollectionDatabase.ConnectionString(database, create: false, pooled: false));
            var meta = CollectionDatabase.ReadMeta(connection);
            _ = CollectionDatabase.SpaceOf(meta, database);
            _ = CollectionDatabase.BindingOf(meta, database);
            CollectionDatabase.UseWal(connection);
            CollectionDatabase.Rename(connection, name);
            return (PointTable.Count(connection), ChangeLog.ReadSequence(connection, null));
        }
        catch (Exception e) when (e is SqliteException or QuiverException and not InvalidSnapshotException)
        {
            throw new InvalidSnapshotException(file, $"its database is not a Quiver collection ({e.Message})", e);
        }
    }
}
