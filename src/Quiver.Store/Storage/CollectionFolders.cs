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
        if (File.Exists(Path.Combine(target, databaseName)))
        {
            Directory.Move(target, folder);
            return null;
        }

        return target;
    }
}
