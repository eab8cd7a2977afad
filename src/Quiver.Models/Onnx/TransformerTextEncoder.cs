using Quiver.Core.Spaces;
using Quiver.Core.Text;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Onnx;

/// <summary>
/// A <see cref="TransformerEncoder"/> in its embedding space, as an <see cref="ITextEncoder"/>: texts or token ids, a
/// truncation policy and fewer (Matryoshka) dimensions per call. The model runs on the caller's thread.
/// </summary>
public sealed class TransformerTextEncoder : ITextEncoder
{
    private readonly bool _ownsEncoder;

    public TransformerTextEncoder(TransformerEncoder encoder, EmbeddingSpace space, bool ownsEncoder = true)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(space);
        if (space.Dimensions != encoder.Dimensions)
        {
            throw new ArgumentException($"The space {space} has {space.Dimensions} dimensions but the encoder returns {encoder.Dimensions}.", nameof(space));
        }

        Encoder = encoder;
        Space = space;
        _ownsEncoder = ownsEncoder;
        TokenCounter = new EncoderTokenCounter(encoder);
    }

    public TransformerEncoder Encoder { get; }

    public EmbeddingSpace Space { get; }

    public int? MaxTokens => Encoder.MaxLength;

    public TextUnit Unit => TextUnit.Tokens;

    public string? Prompt => Encoder.Options.Prompt;

    public IReadOnlyDictionary<string, string> Prompts => Encoder.Model.Prompts;

    public bool AcceptsTokenIds => true;

    public bool CostsTokens => true;

    /// <summary>Counts with the model's own tokenizer and prompt against its maximum length less its special tokens.</summary>
    public ITokenCounter TokenCounter { get; }

    public int Cost(string text, TruncationPolicy truncation) => Encoder.SequenceTokens(text, truncation);

    public int Cost(IReadOnlyList<int> tokenIds, TruncationPolicy truncation) => Encoder.SequenceTokens(tokenIds, truncation);

    public ValueTask<IReadOnlyList<EncodedText>> EncodeAsync(IReadOnlyList<string> texts, TextEncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var dimensions = Matryoshka.Requested(Space, options, shortens: true);
        return ValueTask.FromResult(Shorten(Encoder.Embed(texts, options?.Truncation, cancellationToken), dimensions));
    }

    public ValueTask<IReadOnlyList<EncodedText>> EncodeTokenIdsAsync(IReadOnlyList<IReadOnlyList<int>> tokenIds, TextEncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var dimensions = Matryoshka.Requested(Space, options, shortens: true);
        return ValueTask.FromResult(Shorten(Encoder.EmbedTokenIds(tokenIds, options?.Truncation, cancellationToken), dimensions));
    }

    private IReadOnlyList<EncodedText> Shorten(IReadOnlyList<EncodedText> encoded, int dimensions)
    {
        if (dimensions == Space.Dimensions)
        {
            return encoded;
        }

        return [.. encoded.Select(e => e with { Vector = Matryoshka.Shorten(e.Vector, dimensions, Encoder.Normalize) })];
    }

    public void Dispose()
    {
        if (_ownsEncoder)
        {
            Encoder.Dispose();
        }
    }
}
