using System.Globalization;
using Quiver.Core;
using Quiver.Store.Collections;

namespace Quiver.Store.Snapshots;

/// <summary>
/// The snapshots kept for a store's collections (Qdrant's snapshot routes): one folder per collection under
/// <see cref="Root"/>, each snapshot a file NAME-yyyy-MM-dd-HH-mm-ss.snapshot with its SHA-256 in a .checksum file
/// beside it. Snapshots outlive their collection, as backups should.
/// </summary>
public sealed class CollectionSnapshots(string root)
{
    public const string Extension = ".snapshot";
    private const string ChecksumExtension = ".checksum";

    public string Root { get; } = Path.GetFullPath(root);

    public static CollectionSnapshots FromPaths(QuiverPaths paths) => new(paths.Snapshots);

    /// <summary>Snapshots <paramref name="collection"/> into its folder (see <see cref="Collection.WriteSnapshot"/>).</summary>
    public SnapshotInfo Create(Collection collection, IProgress<SnapshotProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var folder = FolderOf(collection.Name);
        Directory.CreateDirectory(folder);
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture);
        var name = $"{collection.Name}-{stamp}{Extension}";
        for (var n = 2; File.Exists(Path.Combine(folder, name)) || File.Exists(Path.Combine(folder, name + ".partial")); n++)
        {
            name = $"{collection.Name}-{stamp}-{n}{Extension}";
        }

        var written = collection.WriteSnapshot(Path.Combine(folder, name), progress, cancellationToken);
        File.WriteAllText(written.Path + ChecksumExtension, written.Checksum);
        return Describe(new FileInfo(written.Path))!;
    }

    /// <summary>The snapshots of a collection, oldest first (an empty list when it has none).</summary>
    public IReadOnlyList<SnapshotInfo> List(string collection)
    {
        var folder = new DirectoryInfo(FolderOf(collection));
        if (!folder.Exists)
        {
            return [];
        }

        return [.. folder.EnumerateFiles("*" + Extension).Select(Describe).OfType<SnapshotInfo>().OrderBy(s => s.CreatedAt).ThenBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>The snapshot of that name, or null when there is none (a name that could not be a snapshot's is none too).</summary>
    public SnapshotInfo? Find(string collection, string snapshot) =>
        IsSnapshotName(snapshot) ? Describe(new FileInfo(Path.Combine(FolderOf(collection), snapshot))) : null;

    /// <summary>Deletes a snapshot; returns whether it existed.</summary>
    public bool Delete(string collection, string snapshot)
    {
        if (Find(collection, snapshot) is not { } found)
        {
            return false;
        }

        File.Delete(found.Path + ChecksumExtension);
        File.Delete(found.Path);
        return true;
    }

    private string FolderOf(string collection)
    {
        ResourceName.Validate(collection, "collection");
        return Path.Combine(Root, collection);
    }

    private static bool IsSnapshotName(string name) =>
        name.Length is > 9 and <= 255 && name.EndsWith(Extension, StringComparison.Ordinal) && !name.StartsWith('.') &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static SnapshotInfo? Describe(FileInfo file)
    {
        if (!file.Exists)
        {
            return null;
        }

        var checksumFile = file.FullName + ChecksumExtension;
        var checksum = File.Exists(checksumFile) ? File.ReadAllText(checksumFile).Trim() : null;
        return new SnapshotInfo(file.Name, file.FullName, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), file.Length, checksum);
    }
}
