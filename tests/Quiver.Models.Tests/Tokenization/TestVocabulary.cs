using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests.Tokenization;

/// <summary>
/// WordPiece vocabularies the tests write themselves, laid out as bert-base-uncased is (30,522 tokens; [PAD] 0,
/// [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103; the rest of the reserved ids [unusedN]) but holding only the pieces
/// a test names, so a test of Quiver's own tokenizer or encoder needs no package from the npm registry.
/// </summary>
internal static class TestVocabulary
{
    /// <summary>bert-base-uncased's size, which <see cref="Quiver.Catalogue.Synthetic.SyntheticBertOptions"/> defaults to.</summary>
    public const int BertSize = 30_522;

    private const int FirstPiece = 104;

    /// <summary>
    /// Every printable ASCII character and its continuation, the CJK characters the tests use, and whole words the
    /// encoder tests write, so their sentences tokenise into a realistic mix of words, sub-words and [UNK].
    /// </summary>
    public static WordPieceVocabulary Standard { get; } = Bert(
    [
        .. Enumerable.Range('!', '~' - '!' + 1).Select(c => ((char)c).ToString()).Where(c => !char.IsUpper(c[0])),
        .. Enumerable.Range('0', 10).Concat(Enumerable.Range('a', 26)).Select(c => "##" + (char)c),
        "日", "本", "語",
        .. """
           the quick brown fox jumps over lazy dog man with hard hat is dancing on roof of very tall building while crowd
           below cheers and police arrive hi two words red green blue cat short one longer word thread test sentence
           stream query how to shorten much input that runs past limit naive cafe emoji number hello world long
           """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        "##ing", "##ed",
    ]);

    /// <summary>A BERT-layout vocabulary of <paramref name="size"/> tokens holding <paramref name="pieces"/> from id 104 on.</summary>
    public static WordPieceVocabulary Bert(IReadOnlyCollection<string> pieces, int size = BertSize)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FirstPiece + pieces.Count, size);

        // tokenizer.json maps each token to one id, so a repeated piece would leave an id without a token.
        var repeated = pieces.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            throw new ArgumentException($"Pieces given twice: {string.Join(", ", repeated)}.", nameof(pieces));
        }

        var unused = 0;
        string Unused() => $"[unused{unused++}]";
        List<string> tokens = ["[PAD]", .. Enumerable.Range(1, 99).Select(_ => Unused()), "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. pieces];
        while (tokens.Count < size)
        {
            tokens.Add(Unused());
        }

        return new WordPieceVocabulary(tokens);
    }
}
