namespace Quiver.Models;

/// <summary>What <see cref="EncodedText.Tokens"/> counts for an encoder, so hosts can name it in their answers.</summary>
public enum TextUnit
{
    /// <summary>Tokens of the model's own tokenizer (transformers; remote models as their provider reports them).</summary>
    Tokens,

    /// <summary>Words (word vectors and Doc2Vec read words, and can report those they do not know).</summary>
    Words,
}
