namespace Quiver.Catalogue.Quantization;

/// <summary>The operators a quantised matrix product is written with.</summary>
public enum QuantizedMatMulFormulation
{
    /// <summary>
    /// Standard ONNX operators only: MatMulInteger to int32, Cast to float, Mul by the two scales, Add of the bias.
    /// Any ONNX runtime with opset 11 runs it, onnxruntime-web included; ONNX Runtime's optimiser fuses the pattern
    /// back into MatMulIntegerToFloat.
    /// </summary>
    MatMulInteger,

    /// <summary>
    /// ONNX Runtime's <c>com.microsoft</c> MatMulIntegerToFloat, which multiplies, rescales and adds the bias in one
    /// kernel. Only ONNX Runtime runs it.
    /// </summary>
    MatMulIntegerToFloat,
}
