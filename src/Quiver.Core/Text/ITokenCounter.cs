namespace Quiver.Core.Text;

/// <summary>
/// Counts text the way an encoder will see it, so chunkers can cut documents into pieces the model accepts whole.
/// Implemented over each encoder's own tokenizer (transformers, use-lite) or over words (static word vectors).
/// </summary>
public interface ITokenCounter
{
    /// <summary>The most content tokens (special tokens excluded) the encoder takes in one input.</summary>
    int MaxTokens { get; }

    /// <summary>The content tokens of <paramref name="text"/>, special tokens excluded.</summary>
    int Count(string text);
}
