using System.Formats.Tar;
using System.IO.Compression;
using Quiver.Models.Catalogue;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// The npm package nsfwjs 4.3.0, whose dist/models/mobilenet_v2 holds MobileNetV2 as a TensorFlow.js layers model in
/// browserify bundles (model.min.js, group1-shard1of1.min.js, uint8-quantised), fetched once with npm pack, checked
/// against its pinned SHA-256 and unpacked under the system temp folder's quiver-test-cache.
/// </summary>
internal static class NsfwJsPackage
{
    private const string Spec = "nsfwjs@4.3.0";
    private const string Sha256 = "4496790efc9bdc6f3e85a826a8e482c1fa1e9db4b3d18c095e98cc0c73cfb12f";
    private static readonly Lazy<Task<string>> Folder = new(FetchAsync);

    /// <summary>MobileNetV2's model.min.js in the unpacked package.</summary>
    public static async Task<string> GetMobileNetV2Async() => Path.Combine(await Folder.Value, "models", "mobilenet_v2", "model.min.js");

    /// <summary>The checked tarball itself, for installing from it.</summary>
    public static async Task<string> GetTarballAsync()
    {
        await Folder.Value;
        return Path.Combine(Path.GetTempPath(), "quiver-test-cache", "nsfwjs-4.3.0.tgz");
    }

    private static async Task<string> FetchAsync()
    {
        var cache = Path.Combine(Path.GetTempPath(), "quiver-test-cache");
        var unpacked = Path.Combine(cache, "nsfwjs-4.3.0");
        var dist = Path.Combine(unpacked, "package", "dist");
        if (File.Exists(Path.Combine(unpacked, ".complete")))
        {
            return dist;
        }

        var tarball = Path.Combine(cache, "nsfwjs-4.3.0.tgz");
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
