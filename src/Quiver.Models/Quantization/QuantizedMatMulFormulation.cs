namespace Quiver.Models.Quantization;

/// <summary>The operators a quantised matrix product is written with.</summary>
public enum QuantizedMatMulFormulation
{
    /// <summary>
    /// ONNX Runtime's <c>com.microsoft</c> MatMulIntegerToFloat, which multiplies, rescales and adds the bias in one
    /// kernel. Only ONNX Runtime runs it.
    /// </summary>
    MatMulIntegerToFloat,

    /// <summary>
    /// Standard ONNX operators only: MatMulInteger to int32, Cast to float, Mul by the two scales (the bias Add stays
    /// as it was). Any ONNX runtime with opset 11 runs it, onnxruntime-web included.
    /// </summary>
    MatMulInteger,
}
