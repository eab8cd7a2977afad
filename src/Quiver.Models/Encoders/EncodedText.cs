namespace Quiver.Models;

/// <summary>One input's vector and what happened on the way, the same for every kind of text model.</summary>
/// <param name="Vector">The vector, in the encoder's space (or shorter, when the call asked for fewer dimensions).</param>
/// <param name="Tokens">
/// The units the model read the whole input as, before any truncation: tokens with special tokens for transformers,
/// words for word vectors and Doc2Vec, the input's share of the provider's reported tokens for remote models.
/// </param>
/// <param name="TruncatedTokens">Tokens left out because the input was longer than the model accepts (0 when chunked).</param>
/// <param name="Chunks">Windows embedded: 1 unless the input was chunked.</param>
public sealed record EncodedText(float[] Vector, int Tokens, int TruncatedTokens = 0, int Chunks = 1)
{
    /// <summary>Words the model has no vector for (word vectors); empty for kinds that read every input whole.</summary>
    public IReadOnlyList<string> UnknownWords { get; init; } = [];

    public bool Truncated => TruncatedTokens > 0;

    /// <summary>The tokens the model actually read: <see cref="Tokens"/> less those cut.</summary>
    public int ReadTokens => Tokens - TruncatedTokens;
}
