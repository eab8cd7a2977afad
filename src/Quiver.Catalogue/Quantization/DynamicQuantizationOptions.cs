namespace Quiver.Catalogue.Quantization;

/// <summary>
/// How <see cref="OnnxDynamicQuantizer"/> writes a model's weight matrices as int8. Activations are always quantised
/// at run time, per tensor, to uint8 by ONNX's DynamicQuantizeLinear (the range of each call's values, zero included).
/// </summary>
public sealed record DynamicQuantizationOptions
{
    /// <summary>
    /// One scale per weight matrix or one per output column. Per column by default: with weights in [-64, 64], one scale
    /// per matrix cost all-MiniLM-L6-v2 0.010 of STS-B dev Spearman, one per column 0.0004, at the same speed.
    /// </summary>
    public QuantizationGranularity Granularity { get; init; } = QuantizationGranularity.PerChannel;

    /// <summary>
    /// Standard ONNX operators by default: ONNX Runtime 1.31 fuses them into the very kernels it runs for
    /// MatMulIntegerToFloat (the optimised graphs of both are the same), and runtimes without its contrib operators,
    /// such as onnxruntime-web under transformers.js, load the file too.
    /// </summary>
    public QuantizedMatMulFormulation Formulation { get; init; } = QuantizedMatMulFormulation.MatMulInteger;
}
