namespace Quiver.Models.Tokenization;

/// <summary>What a token from <see cref="WordTokenizer"/> is.</summary>
public enum WordTokenKind
{
    Word,
    Number,
    Punctuation,
}
