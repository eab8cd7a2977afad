namespace Quiver.Models.Onnx;

/// <summary>What the encoder does with an input longer than the model accepts. Nothing is ever cut silently.</summary>
public enum TruncationPolicy
{
    /// <summary>Keep the first tokens that fit (and [SEP]); the result reports how many were dropped.</summary>
    Truncate,

    /// <summary>Embed overlapping windows of the whole input and pool the windows' vectors (weighted by their tokens).</summary>
    Chunk,

    /// <summary>Refuse the input with <see cref="InputTooLongException"/>.</summary>
    Error,
}
