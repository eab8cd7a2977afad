using System.Globalization;

namespace Quiver.Store.Storage;

/// <summary>
/// How collection folders come and go inside a store's root. A new collection is built in a staging folder and renamed
/// into place whole, so its folder never holds a half-made database; files already where it goes (a -wal left by a
/// deleted database would be replayed into the new one) are moved aside, never adopted and never deleted.
/// </summary>
internal static class CollectionFolders
{
    /// <summary>Collections being built (names starting with '.' are never collection names).</summary>
    public const string Staging = ".creating";

    /// <summary>Files moved out of the way of a new collection, kept for the operator to inspect or remove.</summary>
    public const string Leftovers = ".leftover";

    /// <summary>Where a collection replaced by a restore waits while the restored one moves in (removed right after).</summary>
    public const string Replaced = ".replaced";

    /// <summary>
    /// How long a staging folder may go untouched before it counts as abandoned: creating a collection takes
    /// milliseconds, so an older one was left by a process killed mid-create (another process may be creating one now,
    /// hence the margin).
    /// </summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// Re-embeddings into a new collection name are built here, one folder per target name, until they are published
    /// (a fixed place, so that a stopped run finds its own work again; never removed as abandoned).
    /// </summary>
    public const string Reembedding = ".reembed";

    /// <summary>
    /// The file in a collection's folder that names the version folder holding its database now. Absent: the database
    /// is in the collection's folder itself (every collection starts so). Replaced whole by a rename, so a reader sees
    /// the old name or the new one, never a mix.
    /// </summary>
    public const string CurrentVersionFile = "current";

    /// <summary>The file in a collection's folder that names the version folder an unfinished re-embedding is building.</summary>
    public const string PendingVersionFile = "reembedding";

    private const string VersionPrefix = "v-";

    /// <summary>The folder that holds the database of the collection in <paramref name="folder"/> (see <see cref="CurrentVersionFile"/>).</summary>
    public static string DatabaseFolder(string folder) => ReadVersion(folder, CurrentVersionFile) is { } version ? Path.Combine(folder, version) : folder;

    /// <summary>The version folder named by <paramref name="file"/> in <paramref name="folder"/>, or null when the file is absent.</summary>
    public static string? ReadVersion(string folder, string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(folder, file)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (!text.StartsWith(VersionPrefix, StringComparison.Ordinal) || text.IndexOfAny(['/', '\\']) >= 0 || text.Contains("..", StringComparison.Ordinal))
        {
            throw new Core.QuiverException(
                $"{Path.Combine(folder, file)} should name a version folder (v-…) of the collection but holds '{text}'. Restore it, or delete the collection and index it again.");
        }

        return text;
    }

    /// <summary>A new version folder name for a collection's next database.</summary>
    public static string NewVersion() => VersionPrefix + Guid.NewGuid().ToString("N");

    /// <summary>Whether <paramref name="name"/> is a version folder's name.</summary>
    public static bool IsVersion(string name) => name.StartsWith(VersionPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Points <paramref name="file"/> in <paramref name="folder"/> at <paramref name="version"/>: written beside it, flushed
    /// to disk, then renamed over it, so the switch is atomic and survives a crash whole or not at all.
    /// </summary>
    public static void WriteVersion(string folder, string file, string version)
    {
        var temporary = Path.Combine(folder, $".{file}.{Guid.NewGuid():N}");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(version));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path.Combine(folder, file), overwrite: true);
    }

    public static string NewStagingFolder(string root)
    {
        var folder = Path.Combine(root, Staging, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Empties the place of a collection that has no database: an empty folder is removed, anything else is moved under
    /// <see cref="Leftovers"/>. Returns where it went, or null when nothing was moved. A database that another process
    /// published there in the meantime is put back, so the caller's own publishing then finds the place taken.
    /// </summary>
    public static string? MoveAsideLeftovers(string root, string folder, string databaseName)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        if (!Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            return null;
        }

        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = Path.Combine(root, Leftovers, $"{Path.GetFileName(folder)}.{stamp}.{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Path.Combine(root, Leftovers));
        Directory.Move(folder, target);
        if (File.Exists(Path.Combine(DatabaseFolder(target), databaseName)))
        {
            Directory.Move(target, folder);
            return null;
        }

        return target;
    }

    /// <summary>
    /// Puts <paramref name="staging"/> in the place of the collection folder <paramref name="folder"/>: the old folder is
    /// renamed aside, the new one renamed in, then the old one deleted. Should the second rename fail, the old folder
    /// goes back. Returns false when the old folder could not be deleted afterwards (it is left under <see cref="Replaced"/>).
    /// </summary>
    public static bool Swap(string root, string folder, string staging)
    {
        var aside = Path.Combine(root, Replaced, $"{Path.GetFileName(folder)}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, Replaced));
        Directory.Move(folder, aside);
        try
        {
            Directory.Move(staging, folder);
        }
        catch
        {
            Directory.Move(aside, folder);
            throw;
        }

        try
        {
            Directory.Delete(aside, recursive: true);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes staging folders abandoned by a create that never finished (they hold an empty, never-published database,
    /// no user data). Returns how many went.
    /// </summary>
    public static int RemoveAbandonedStaging(string root, DateTime nowUtc)
    {
        var staging = new DirectoryInfo(Path.Combine(root, Staging));
        if (!staging.Exists)
        {
            return 0;
        }

        var removed = 0;
        foreach (var folder in staging.EnumerateDirectories())
        {
            var touched = folder.EnumerateFileSystemInfos().Select(f => f.LastWriteTimeUtc).Append(folder.LastWriteTimeUtc).Max();
            if (nowUtc - touched < AbandonedAfter)
            {
                continue;
            }

            try
            {
                folder.Delete(recursive: true);
                removed++;
            }
            catch (IOException)
            {
                // Another process removed it first, or holds a file in it: it is not ours to force.
            }
        }

        return removed;
    }
}
