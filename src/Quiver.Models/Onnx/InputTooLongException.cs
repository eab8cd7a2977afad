using Quiver.Core;

namespace Quiver.Models.Onnx;

/// <summary>An input has more tokens than the model accepts and the truncation policy is <see cref="TruncationPolicy.Error"/>.</summary>
public sealed class InputTooLongException(int index, int tokens, int maxTokens)
    : QuiverException(
        $"Input {index} has {tokens:N0} tokens but the model accepts at most {maxTokens:N0} (special tokens included). " +
        "Shorten it, or let Quiver truncate it (TruncationPolicy.Truncate; --truncation Truncate) or embed it in overlapping windows (TruncationPolicy.Chunk; --truncation Chunk).")
{
    public int Index { get; } = index;

    public int Tokens { get; } = tokens;

    public int MaxTokens { get; } = maxTokens;
}
