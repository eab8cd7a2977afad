using Quiver.Catalogue;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// The npm package nsfwjs 4.3.0, whose dist/models/mobilenet_v2 holds MobileNetV2 as a TensorFlow.js layers model in
/// browserify bundles (model.min.js, group1-shard1of1.min.js, uint8-quantised), fetched once with npm pack, checked
/// against its pinned SHA-256 and unpacked in the tests' cache (QUIVER_TEST_CACHE).
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
        return NpmTestPackage.Tarball("nsfwjs-4.3.0");
    }

    private static Task<string> FetchAsync() => NpmTestPackage.GetDistFolderAsync(Spec, Sha256, "nsfwjs-4.3.0");
}
