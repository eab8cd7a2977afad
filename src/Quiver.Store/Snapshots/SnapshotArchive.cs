using System.Formats.Tar;
using System.Security.Cryptography;
using Quiver.Store.Index;
using Quiver.Store.Storage;

namespace Quiver.Store.Snapshots;

/// <summary>
/// The snapshot file: a tar archive (pax) of collection.db (a standalone SQLite file, no -wal), index.qhns when the
/// collection had an index snapshot, then manifest.json with each file's size and SHA-256. The manifest comes last so
/// each file is hashed as it is archived (one read); a reader unpacks everything into a staging folder, hashing as it
/// goes, and checks it all against the manifest before anything is used.
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
        var total = files.Sum(f => f.Content.Length);
        long done = 0;
        var entries = new List<SnapshotManifest.Entry>();
        using var file = new FileStream(output, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        using var hashing = new HashingWriteStream(file);
        using (var writer = new TarWriter(hashing, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                content.Position = 0;

                // Each file is hashed as the archive takes it in: one read per file.
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new CountingReadStream(content, hash, n =>
                    {
                        done += n;
                        progress?.Report(new SnapshotProgress("archive", done, total));
                    }),
                });
                entries.Add(new SnapshotManifest.Entry(name, content.Length, Convert.ToHexStringLower(hash.GetCurrentHash())));
            }

            var manifest = new SnapshotManifest(collection, DateTimeOffset.UtcNow, points, sequence, entries).ToBytes();
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, SnapshotManifest.EntryName) { DataStream = new MemoryStream(manifest) });
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
                using var reader = new TarReader(new CountingReadStream(source, null, _ => progress?.Report(new SnapshotProgress("verify", source.Position, total))));
                SnapshotManifest? manifest = null;
                var staged = new Dictionary<string, (long Bytes, string Sha256)>(StringComparer.Ordinal);
                while (reader.GetNextEntry(copyData: false) is { } entry)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var known = entry.Name == SnapshotManifest.EntryName || Files.Contains(entry.Name);
                    if (!known || staged.ContainsKey(entry.Name) || (entry.Name == SnapshotManifest.EntryName && manifest is not null) ||
                        entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    {
                        throw new InvalidSnapshotException(path, $"it holds an entry '{entry.Name}' ({entry.EntryType}) that is not part of a Quiver snapshot, or holds it twice");
                    }

                    if (entry.Name == SnapshotManifest.EntryName)
                    {
                        if (entry.Length > SnapshotManifest.MaxBytes || entry.DataStream is null)
                        {
                            throw new InvalidSnapshotException(path, $"its {SnapshotManifest.EntryName} is {entry.Length} bytes, not a manifest");
                        }

                        var bytes = new byte[entry.Length];
                        entry.DataStream.ReadExactly(bytes);
                        manifest = SnapshotManifest.Parse(bytes, path);
                        continue;
                    }

                    staged[entry.Name] = Copy(entry.DataStream, Path.Combine(staging, entry.Name));
                }

                if (manifest is null)
                {
                    throw new InvalidSnapshotException(path, staged.Count == 0
                        ? "it holds no files (an empty tar, or not a tar)"
                        : $"it ends before its {SnapshotManifest.EntryName} (the file is truncated)");
                }

                var expected = manifest.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
                if (expected.Keys.Any(n => !Files.Contains(n)) || !expected.ContainsKey(CollectionDatabase.FileName))
                {
                    throw new InvalidSnapshotException(path, $"its manifest lists {string.Join(", ", expected.Keys)}; a snapshot holds {CollectionDatabase.FileName} and optionally {IndexSnapshot.FileName}");
                }

                foreach (var (name, wanted) in expected)
                {
                    if (!staged.TryGetValue(name, out var got))
                    {
                        throw new InvalidSnapshotException(path, $"{name}, which its manifest lists, is missing");
                    }

                    if (got.Bytes != wanted.Bytes)
                    {
                        throw new InvalidSnapshotException(path, $"{name} holds {got.Bytes} bytes but the manifest says {wanted.Bytes} (the file is truncated or damaged)");
                    }

                    if (got.Sha256 != wanted.Sha256)
                    {
                        throw new InvalidSnapshotException(path, $"{name}'s SHA-256 is {got.Sha256} but the manifest says {wanted.Sha256} (the file is damaged)");
                    }
                }

                if (staged.Keys.FirstOrDefault(n => !expected.ContainsKey(n)) is { } extra)
                {
                    throw new InvalidSnapshotException(path, $"it holds {extra}, which its manifest does not list");
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
