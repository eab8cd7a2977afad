namespace Quiver.Models.Onnx;

/// <summary>One input's vector and what happened on the way: its tokens, how many were cut, how many windows it took.</summary>
/// <param name="Tokens">Tokens of the whole input, special tokens included, before any truncation.</param>
/// <param name="TruncatedTokens">Tokens left out because the input was longer than the model accepts (0 when chunked).</param>
/// <param name="Chunks">Windows embedded: 1 unless the input was chunked.</param>
public sealed record TextEmbedding(float[] Vector, int Tokens, int TruncatedTokens, int Chunks)
{
    public bool Truncated => TruncatedTokens > 0;
}
