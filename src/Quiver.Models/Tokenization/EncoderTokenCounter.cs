using Quiver.Core.Text;
using Quiver.Models.Onnx;

namespace Quiver.Models.Tokenization;

/// <summary>Counts with a transformer encoder's own tokenizer (its prompt included), against its maximum length less its special tokens.</summary>
public sealed class EncoderTokenCounter(TransformerEncoder encoder) : ITokenCounter
{
    /// <summary>
    /// The counter for a text generator: the encoder's own <see cref="ITextEncoder.TokenCounter"/> when it has one (a
    /// transformer counts with its tokenizer and limit); a model without a token limit (word vectors, Doc2Vec, a remote
    /// endpoint) or a generator that is no Quiver encoder gets chunks of <paramref name="wordsWithoutLimit"/> words.
    /// </summary>
    public static ITokenCounter For(Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> generator, int wordsWithoutLimit = 256) =>
        generator.GetService(typeof(ITextEncoder)) is ITextEncoder encoder ? For(encoder, wordsWithoutLimit) : new WhitespaceTokenCounter(wordsWithoutLimit);

    /// <summary>The counter for a text encoder, as <see cref="For(Microsoft.Extensions.AI.IEmbeddingGenerator{string, Microsoft.Extensions.AI.Embedding{float}}, int)"/> says.</summary>
    public static ITokenCounter For(ITextEncoder encoder, int wordsWithoutLimit = 256) =>
        (encoder ?? throw new ArgumentNullException(nameof(encoder))).TokenCounter ?? new WhitespaceTokenCounter(wordsWithoutLimit);

    public int MaxTokens { get; } = encoder.MaxLength - (encoder.Model.Tokenizer.StartTokenId is null ? 0 : 1) - (encoder.Model.Tokenizer.EndTokenId is null ? 0 : 1);

    public int Count(string text)
    {
        var ids = new List<int>(text.Length / 3 + 8);
        encoder.Model.Tokenizer.EncodeContent(encoder.Options.Prompt is null ? text : encoder.Options.Prompt + text, ids);
        return ids.Count;
    }
}
