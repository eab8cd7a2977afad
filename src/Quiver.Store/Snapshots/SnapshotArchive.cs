using System.Formats.Tar;
using System.Security.Cryptography;
using Quiver.Store.Index;
using Quiver.Store.Storage;

namespace Quiver.Store.Snapshots;

/// <summary>
/// The snapshot file: a tar archive (pax) of manifest.json, then collection.db (a standalone SQLite file, no -wal),
/// then index.qhns when the collection had an index snapshot. The manifest comes first and gives each file's size and
/// SHA-256, so a reader verifies each file as it unpacks it.
/// </summary>
internal static class SnapshotArchive
{
    /// <summary>The files a snapshot may hold besides its manifest; anything else is refused.</summary>
    public static readonly IReadOnlyList<string> Files = [CollectionDatabase.FileName, IndexSnapshot.FileName];

    /// <summary>
    /// Writes the archive to <paramref name="output"/> (a temporary file of the caller's, renamed when complete) from
    /// files that no longer change; returns its size and SHA-256.
    /// </summary>
    public static (long Size, string Sha256) Write(
        string output, string collection, long points, long sequence, IReadOnlyList<(string Name, Stream Content)> files, IProgress<SnapshotProgress>? progress, CancellationToken cancellationToken)
    {
        var total = files.Sum(f => f.Content.Length) * 2;
        long done = 0;
        void Count(int n, string stage)
        {
            done += n;
            progress?.Report(new SnapshotProgress(stage, done, total));
        }

        var entries = new List<SnapshotManifest.Entry>();
        foreach (var (name, content) in files)
        {
            content.Position = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = content.Read(buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                Count(read, "checksums");
            }

            entries.Add(new SnapshotManifest.Entry(name, content.Length, Convert.ToHexStringLower(hash.GetCurrentHash())));
        }

        var manifest = new SnapshotManifest(collection, DateTimeOffset.UtcNow, points, sequence, entries).ToBytes();
        using var file = new FileStream(output, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        using var hashing = new HashingWriteStream(file);
        using (var writer = new TarWriter(hashing, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, SnapshotManifest.EntryName) { DataStream = new MemoryStream(manifest) });
            foreach (var (name, content) in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                content.Position = 0;
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new CountingReadStream(content, n => Count(n, "archive")) });
            }
        }

        hashing.Flush();
        file.Flush(flushToDisk: true);
        return (hashing.Written, hashing.HashHex());
    }

    /// <summary>
    /// Unpacks a snapshot into <paramref name="staging"/>, checking every file against the manifest (and the whole
    /// file against <paramref name="checksum"/> when given); throws <see cref="InvalidSnapshotException"/> when the file is
    /// truncated, damaged, or not a Quiver snapshot.
    /// </summary>
    public static SnapshotManifest Extract(string path, string staging, string? checksum, IProgress<SnapshotProgress>? progress, CancellationToken cancellationToken)
    {
        FileStream source;
        try
        {
            source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSnapshotException(path, $"it cannot be read ({e.Message})", e);
        }

        using (source)
        {
            if (!source.CanSeek || (source.Length == 0))
            {
                throw new InvalidSnapshotException(path, source.CanSeek ? "the file is empty" : "it is not a regular file");
            }

            if (checksum is not null)
            {
                VerifyChecksum(path, source, checksum, progress, cancellationToken);
            }

            var total = source.Length;
            try
            {
                using var reader = new TarReader(new CountingReadStream(source, _ => progress?.Report(new SnapshotProgress("verify", source.Position, total))));
                var first = reader.GetNextEntry(copyData: false) ?? throw new InvalidSnapshotException(path, "it holds no files (an empty tar, or not a tar)");
                if (first.Name != SnapshotManifest.EntryName || first.DataStream is null || first.Length > SnapshotManifest.MaxBytes)
                {
                    throw new InvalidSnapshotException(path, $"it does not start with {SnapshotManifest.EntryName} (its first entry is '{first.Name}')");
                }

                var manifestBytes = new byte[first.Length];
                first.DataStream.ReadExactly(manifestBytes);
                var manifest = SnapshotManifest.Parse(manifestBytes, path);
                var expected = manifest.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
                if (expected.Keys.Any(n => !Files.Contains(n)) || !expected.ContainsKey(CollectionDatabase.FileName))
                {
                    throw new InvalidSnapshotException(path, $"its manifest lists {string.Join(", ", expected.Keys)}; a snapshot holds {CollectionDatabase.FileName} and optionally {IndexSnapshot.FileName}");
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.GetNextEntry(copyData: false) is { } entry)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!expected.TryGetValue(entry.Name, out var wanted) || !seen.Add(entry.Name) || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    {
                        throw new InvalidSnapshotException(path, $"it holds an entry '{entry.Name}' ({entry.EntryType}) that its manifest does not list");
                    }

                    if (entry.Length != wanted.Bytes)
                    {
                        throw new InvalidSnapshotException(path, $"{entry.Name} is {entry.Length} bytes in the archive but the manifest says {wanted.Bytes} (the file is damaged)");
                    }

                    var (bytes, sha256) = Copy(entry.DataStream, Path.Combine(staging, entry.Name));
                    if (bytes != wanted.Bytes)
                    {
                        throw new InvalidSnapshotException(path, $"{entry.Name} holds {bytes} bytes but the manifest says {wanted.Bytes} (the file is truncated or damaged)");
                    }

                    if (sha256 != wanted.Sha256)
                    {
                        throw new InvalidSnapshotException(path, $"{entry.Name}'s SHA-256 is {sha256} but the manifest says {wanted.Sha256} (the file is damaged)");
                    }
                }

                if (expected.Keys.FirstOrDefault(n => !seen.Contains(n)) is { } missing)
                {
                    throw new InvalidSnapshotException(path, $"it ends before {missing}, which its manifest lists (the file is truncated)");
                }

                return manifest;
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or ArgumentException or OverflowException)
            {
                throw new InvalidSnapshotException(path, $"it is truncated or not a Quiver snapshot ({e.Message})", e);
            }
        }
    }

    private static void VerifyChecksum(string path, FileStream source, string checksum, IProgress<SnapshotProgress>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
            progress?.Report(new SnapshotProgress("checksum", source.Position, source.Length));
        }

        var actual = Convert.ToHexStringLower(hash.GetCurrentHash());
        if (!string.Equals(actual, checksum.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSnapshotException(path, $"Snapshot checksum mismatch: expected {checksum}, got {actual}");
        }

        source.Position = 0;
    }

    private static (long Bytes, string Sha256) Copy(Stream? from, string to)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        using var file = new FileStream(to, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        if (from is not null)
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = from.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                file.Write(buffer, 0, read);
                bytes += read;
            }
        }

        file.Flush(flushToDisk: true);
        return (bytes, Convert.ToHexStringLower(hash.GetCurrentHash()));
    }
}
