using Quiver.Models.Onnx;

namespace Quiver.Models;

/// <summary>What one <see cref="ITextEncoder"/> call may change; unset values keep the encoder's own.</summary>
public sealed record TextEncodeOptions
{
    /// <summary>What to do with inputs longer than the model reads (transformers; other kinds read every input whole).</summary>
    public TruncationPolicy? Truncation { get; init; }

    /// <summary>Fewer dimensions than the encoder's space (Matryoshka truncation, renormalised); only encoders that allow it.</summary>
    public int? Dimensions { get; init; }
}
