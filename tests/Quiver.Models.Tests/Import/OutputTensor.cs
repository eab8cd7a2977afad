using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Quiver.Models.Tests.Import;

/// <summary>An ONNX Runtime output copied out: its shape and its values as doubles, whatever the element type.</summary>
internal sealed record OutputTensor(TensorElementType Type, long[] Shape, double[] Values)
{
    public static OutputTensor From(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        double[] values = info.ElementDataType switch
        {
            TensorElementType.Float => [.. value.GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v)],
            TensorElementType.Int32 => [.. value.GetTensorDataAsSpan<int>().ToArray().Select(v => (double)v)],
            TensorElementType.Int64 => [.. value.GetTensorDataAsSpan<long>().ToArray().Select(v => (double)v)],
            TensorElementType.Bool => [.. value.GetTensorDataAsSpan<bool>().ToArray().Select(v => v ? 1.0 : 0.0)],
            var other => throw new NotSupportedException($"Output type {other}"),
        };
        return new OutputTensor(info.ElementDataType, info.Shape, values);
    }

    public void ShouldBe(long[] shape, double[] values, double tolerance = 1e-6)
    {
        Assert.Equal(shape, Shape);
        Assert.Equal(values.Length, Values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(values[i] - Values[i]) <= tolerance, $"element {i}: expected {values[i]}, got {Values[i]} (all: [{string.Join(", ", Values)}])");
        }
    }
}
