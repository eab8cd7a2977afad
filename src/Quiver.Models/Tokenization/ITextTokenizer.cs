namespace Quiver.Models.Tokenization;

/// <summary>
/// A transformer model's tokenizer: text to the ids of its content tokens, plus the special tokens the model wraps
/// a sequence in. Truncation and padding belong to the encoder, which knows the model's limits.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>The token that starts every sequence ([CLS]), if the model uses one.</summary>
    int? StartTokenId { get; }

    /// <summary>The token that ends every sequence ([SEP]), if the model uses one.</summary>
    int? EndTokenId { get; }

    int PadTokenId { get; }

    int VocabularySize { get; }

    /// <summary>Appends the ids of <paramref name="text"/>'s tokens, without special tokens, to <paramref name="ids"/>.</summary>
    void EncodeContent(string text, List<int> ids);

    /// <summary>The token strings of the given ids, for diagnostics.</summary>
    string TokenOf(int id);
}
