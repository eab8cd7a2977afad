namespace Quiver.Models.Tokenization;

/// <summary>
/// The settings of BERT's text normalisation, as tokenizer.json's "BertNormalizer" names them. StripAccents left
/// null follows Lowercase, as in the Hugging Face tokenizers.
/// </summary>
public sealed record BertNormalizationOptions
{
    public bool CleanText { get; init; } = true;

    public bool HandleChineseChars { get; init; } = true;

    public bool Lowercase { get; init; } = true;

    public bool? StripAccents { get; init; }
}
