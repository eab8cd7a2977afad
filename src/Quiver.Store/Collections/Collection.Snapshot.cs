using Microsoft.Data.Sqlite;
using Quiver.Store.Snapshots;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Writes a snapshot of this collection to <paramref name="path"/> (see <see cref="SnapshotArchive"/>): a consistent
    /// copy of its SQLite database made with SQLite's online backup API (one read transaction, so writers go on and
    /// none of their commits is half in it), the index snapshot, and a manifest with SHA-256 checksums. The file
    /// appears under its name only when complete; an existing file is not replaced.
    /// </summary>
    public SnapshotFile WriteSnapshot(string path, IProgress<SnapshotProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        path = Path.GetFullPath(path);
        if (File.Exists(path))
        {
            throw new Core.QuiverException($"{path} already exists. Choose another file, or delete it first.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // An index this process has loaded is saved first, so a restore replays little; one not loaded is not loaded
        // just for this (its snapshot file is as good, the restore replays what came after it). The index snapshot is
        // opened before the database is copied, so it covers a sequence number no later than the copy's.
        if (_index is not null)
        {
            Flush();
        }

        var partial = path + ".partial";
        var database = path + ".db.partial";
        FileStream? index = null;
        try
        {
            try
            {
                index = new FileStream(SnapshotPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20);
            }
            catch (FileNotFoundException)
            {
                // An index of this collection that was never saved: the restore builds it from the database.
            }

            progress?.Report(new SnapshotProgress("database", 0, 0));
            long points;
            long sequence;
            using (var source = _storage.Open())
            using (var copy = new SqliteConnection(CollectionDatabase.ConnectionString(database, create: true, pooled: false)))
            {
                copy.Open();
                source.BackupDatabase(copy);

                // One self-contained file in the archive: no -wal beside it.
                CollectionDatabase.LeaveWal(copy);
                points = PointTable.Count(copy);
                sequence = ChangeLog.ReadSequence(copy, null);
            }

            using var databaseFile = new FileStream(database, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var files = new List<(string, Stream)> { (CollectionDatabase.FileName, databaseFile) };
            if (index is not null)
            {
                files.Add((Index.IndexSnapshot.FileName, index));
            }

            var (size, checksum) = SnapshotArchive.Write(partial, Name, points, sequence, files, progress, cancellationToken);
            File.Move(partial, path);
            return new SnapshotFile(path, size, checksum, points, sequence);
        }
        finally
        {
            index?.Dispose();
            File.Delete(partial);
            File.Delete(database);
            File.Delete(database + "-journal");
        }
    }
}
