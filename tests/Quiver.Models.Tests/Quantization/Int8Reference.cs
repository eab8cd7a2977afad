using System.Runtime.InteropServices;
using Quiver.Catalogue.Import.Onnx.Proto;
using Quiver.Catalogue.Synthetic;

namespace Quiver.Models.Tests.Quantization;

/// <summary>
/// Dense layers computed the way a dynamically quantised ONNX model computes them, written from ONNX's operator
/// definitions and sharing no code with the quantiser: the activation becomes uint8 by DynamicQuantizeLinear's rule
/// (one scale for the whole tensor, its range stretched to include zero, in float32 as the runtime computes it), is
/// multiplied in exact integers by the int8 weights stored in the quantised model, and the sum is rescaled by the
/// product of the two scales.
/// </summary>
internal sealed class Int8Reference
{
    private readonly Dictionary<float[], (sbyte[] Values, float[] Scales)> _weights = new(ReferenceEqualityComparer.Instance);

    /// <summary>Pairs each float matrix of <paramref name="weights"/> with its int8 values and scales in <paramref name="quantized"/>.</summary>
    public Int8Reference(SyntheticBertWeights weights, ModelProto quantized)
    {
        for (var l = 0; l < weights.Layers.Count; l++)
        {
            var layer = weights.Layers[l];
            var prefix = $"encoder.layer.{l}";
            Add(quantized, $"{prefix}.attention.self.query.weight", layer.QueryWeight);
            Add(quantized, $"{prefix}.attention.self.key.weight", layer.KeyWeight);
            Add(quantized, $"{prefix}.attention.self.value.weight", layer.ValueWeight);
            Add(quantized, $"{prefix}.attention.output.dense.weight", layer.AttentionOutputWeight);
            Add(quantized, $"{prefix}.intermediate.dense.weight", layer.IntermediateWeight);
            Add(quantized, $"{prefix}.output.dense.weight", layer.OutputWeight);
        }
    }

    public Int8Reference(ModelProto quantized, string weightName, float[] weight) => Add(quantized, weightName, weight);

    /// <summary>ONNX DynamicQuantizeLinear: y = saturate(round(x / scale) + zero point), scale = (max(0, max x) − min(0, min x)) / 255.</summary>
    public static (byte[] Values, float Scale, byte ZeroPoint) QuantizeActivations(ReadOnlySpan<float> x)
    {
        float min = 0, max = 0;
        foreach (var value in x)
        {
            min = MathF.Min(min, value);
            max = MathF.Max(max, value);
        }

        var scale = max == min ? 1f : (max - min) / 255f;
        var zeroPoint = (byte)Math.Clamp(MathF.Round(-min / scale, MidpointRounding.ToEven), 0, 255);
        var values = new byte[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            values[i] = (byte)Math.Clamp(MathF.Round(x[i] / scale, MidpointRounding.ToEven) + zeroPoint, 0, 255);
        }

        return (values, scale, zeroPoint);
    }

    /// <summary>x·W + b for the rows <paramref name="input"/>, W being the int8 counterpart of <paramref name="weight"/>.</summary>
    public double[][] Dense(double[][] input, float[] weight, float[] bias)
    {
        var (values, scales) = _weights[weight];
        var (k, n) = (input[0].Length, bias.Length);
        var (q, scale, zeroPoint) = QuantizeActivations(input.SelectMany(row => row.Select(v => (float)v)).ToArray());
        var result = new double[input.Length][];
        for (var t = 0; t < input.Length; t++)
        {
            result[t] = new double[n];
            for (var o = 0; o < n; o++)
            {
                long sum = 0;
                for (var i = 0; i < k; i++)
                {
                    sum += (q[(t * k) + i] - zeroPoint) * values[(i * n) + o];
                }

                var multiplier = scale * scales[scales.Length == 1 ? 0 : o];
                result[t][o] = (sum * (double)multiplier) + bias[o];
            }
        }

        return result;
    }

    public static TensorProto Initializer(ModelProto model, string name) =>
        model.Graph.Initializer.SingleOrDefault(i => i.Name == name) ?? throw new InvalidOperationException($"the quantised model has no initializer '{name}'");

    public static float[] Floats(TensorProto tensor) => MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    public static sbyte[] Int8s(TensorProto tensor) => MemoryMarshal.Cast<byte, sbyte>(tensor.RawData.Span).ToArray();

    private void Add(ModelProto quantized, string name, float[] weight) =>
        _weights[weight] = (Int8s(Initializer(quantized, name + "_quantized")), Floats(Initializer(quantized, name + "_scale")));
}
