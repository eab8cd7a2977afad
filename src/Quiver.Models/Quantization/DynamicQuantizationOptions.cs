namespace Quiver.Models.Quantization;

/// <summary>
/// How <see cref="OnnxDynamicQuantizer"/> writes a model's weight matrices as int8. Activations are always quantised
/// at run time, per tensor, to uint8 by ONNX's DynamicQuantizeLinear (the range of each call's values, zero included).
/// </summary>
public sealed record DynamicQuantizationOptions
{
    /// <summary>One scale per weight matrix or one per output column.</summary>
    public QuantizationGranularity Granularity { get; init; } = QuantizationGranularity.PerChannel;

    public QuantizedMatMulFormulation Formulation { get; init; } = QuantizedMatMulFormulation.MatMulIntegerToFloat;

    /// <summary>
    /// Weights in [-64, 64] instead of [-127, 127]. On x86 CPUs without VNNI, ONNX Runtime multiplies uint8 by int8
    /// with an instruction that adds pairs of products in 16 bits, which 255 × 127 × 2 overflows; it therefore
    /// converts weights outside [-64, 64] to uint8 and takes a slower uint8 × uint8 kernel. Reduced-range weights
    /// keep the fast kernel at the price of one bit of weight precision.
    /// </summary>
    public bool ReduceRange { get; init; } = true;

    /// <summary>The largest |integer| a weight is mapped to.</summary>
    internal int WeightLimit => ReduceRange ? 64 : 127;
}
