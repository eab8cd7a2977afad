namespace Quiver.Models.Tokenization;

/// <summary>How a BERT-style WordPiece tokenizer is configured (what tokenizer.json or tokenizer_config.json say).</summary>
public sealed record WordPieceTokenizerOptions
{
    public BertNormalizationOptions Normalization { get; init; } = new();

    public string UnknownToken { get; init; } = "[UNK]";

    public string ContinuingSubwordPrefix { get; init; } = WordPieceVocabulary.ContinuationPrefix;

    /// <summary>A word longer than this many characters (code points) becomes the unknown token.</summary>
    public int MaxInputCharsPerWord { get; init; } = 100;

    public string? StartToken { get; init; } = "[CLS]";

    public string? EndToken { get; init; } = "[SEP]";

    public string PadToken { get; init; } = "[PAD]";

    /// <summary>Tokens matched verbatim in the raw text before normalisation (the special tokens).</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
}
