namespace Quiver.Catalogue.Synthetic;

/// <summary>
/// One encoder layer's weights. Matrices are row-major [in, out], so a row vector x maps to x·W: the transpose of a
/// PyTorch Linear weight, and the layout the exported MatMul initializers have.
/// </summary>
internal sealed class SyntheticBertLayerWeights
{
    public required float[] QueryWeight { get; init; }

    public required float[] QueryBias { get; init; }

    public required float[] KeyWeight { get; init; }

    public required float[] KeyBias { get; init; }

    public required float[] ValueWeight { get; init; }

    public required float[] ValueBias { get; init; }

    /// <summary>[hidden, hidden]: the attention output projection.</summary>
    public required float[] AttentionOutputWeight { get; init; }

    public required float[] AttentionOutputBias { get; init; }

    public required float[] AttentionNormScale { get; init; }

    public required float[] AttentionNormShift { get; init; }

    /// <summary>[hidden, intermediate].</summary>
    public required float[] IntermediateWeight { get; init; }

    public required float[] IntermediateBias { get; init; }

    /// <summary>[intermediate, hidden].</summary>
    public required float[] OutputWeight { get; init; }

    public required float[] OutputBias { get; init; }

    public required float[] OutputNormScale { get; init; }

    public required float[] OutputNormShift { get; init; }
}
