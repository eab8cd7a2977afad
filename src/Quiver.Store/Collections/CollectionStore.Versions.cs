using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

// A collection's versions: a re-embedding builds a new database in a version folder beside the current one, then the
// collection's "current" file is renamed over to name it. Handles opened before keep reading the old database (one
// consistent space) until they let go; it takes no more writes, and it is removed once nobody has it open.
public sealed partial class CollectionStore
{
    /// <summary>How long a replaced database outlives its replacement at least, so a reader that just picked it up finishes.</summary>
    public TimeSpan RetiredVersionGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Completes a switch that a stopped process left half done: the current database is already marked as replaced by
    /// the pending version (its last writes are there), but the "current" file was not renamed yet. Returns the
    /// database path to open.
    /// </summary>
    private string FinishSwitch(string name, string path)
    {
        var folder = Path.Combine(Root, name);
        var pending = CollectionFolders.ReadVersion(folder, CollectionFolders.PendingVersionFile);
        if (pending is null || Path.GetFileName(Path.GetDirectoryName(path)) == pending)
        {
            return path;
        }

        using (var connection = CollectionDatabase.Open(CollectionDatabase.ConnectionString(path, create: false)))
        {
            if (CollectionDatabase.ReadMeta(connection, null, CollectionDatabase.SupersededByKey) != pending)
            {
                return path;
            }
        }

        CollectionFolders.WriteVersion(folder, CollectionFolders.CurrentVersionFile, pending);
        File.Delete(Path.Combine(folder, CollectionFolders.PendingVersionFile));
        _logger?.LogInformation("Collection {Collection}: finished the switch to its re-embedded version {Version} that a stopped process had begun.", name, pending);
        return DatabasePath(name);
    }

    /// <summary>
    /// Removes the databases of collection <paramref name="name"/> that a re-embedded version replaced, once no
    /// connection has them open and <see cref="RetiredVersionGrace"/> has passed; returns how many are still kept.
    /// </summary>
    public int RemoveRetiredVersions(string name)
    {
        ValidateName(name);
        var folder = Path.Combine(Root, name);
        var current = CollectionFolders.ReadVersion(folder, CollectionFolders.CurrentVersionFile);
        if (current is null)
        {
            // Never switched: the database in the folder itself is the only version.
            return 0;
        }

        var pending = CollectionFolders.ReadVersion(folder, CollectionFolders.PendingVersionFile);
        var now = DateTimeOffset.UtcNow;
        var kept = 0;
        var candidates = Directory.EnumerateDirectories(folder)
            .Where(d => CollectionFolders.IsVersion(Path.GetFileName(d)) && Path.GetFileName(d) != current && Path.GetFileName(d) != pending)
            .Prepend(folder);
        foreach (var version in candidates)
        {
            try
            {
                if (!CollectionDatabase.TryRemoveRetired(version, RetiredVersionGrace, now))
                {
                    kept++;
                    continue;
                }

                if (version != folder)
                {
                    Directory.Delete(version, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
            {
                _logger?.LogWarning("Collection {Collection}: could not remove its replaced version in {Folder} ({Problem}); a later open tries again.", name, version, e.Message);
                kept++;
            }
        }

        return kept;
    }
}
