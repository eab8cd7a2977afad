namespace Quiver.Catalogue.Quantization;

/// <summary>What <see cref="OnnxDynamicQuantizer"/> changed in a model.</summary>
/// <param name="MatMuls">MatMul nodes whose constant weight matrix became int8.</param>
/// <param name="Gemms">Gemm nodes whose constant weight matrix became int8.</param>
/// <param name="FloatMatMuls">
/// MatMul and Gemm nodes left in float: products of two activations (attention's Q·Kᵀ and P·V), whose operands are
/// not constant, and Gemms with a transposed or non-constant first operand.
/// </param>
/// <param name="ActivationQuantizers">DynamicQuantizeLinear nodes; one serves every quantised product of the same activation.</param>
/// <param name="FoldedBiases">Bias Adds folded into the quantised product.</param>
/// <param name="FloatWeightBytes">The bytes of the float weight matrices replaced.</param>
/// <param name="QuantizedWeightBytes">The bytes of their int8 values, scales and zero points.</param>
/// <param name="Options">The options the model was quantised with.</param>
public sealed record QuantizationSummary(
    int MatMuls,
    int Gemms,
    int FloatMatMuls,
    int ActivationQuantizers,
    int FoldedBiases,
    long FloatWeightBytes,
    long QuantizedWeightBytes,
    DynamicQuantizationOptions Options);
