using Microsoft.ML.OnnxRuntime;
using Quiver.Catalogue.Import.Onnx;
using Quiver.Catalogue.Import.Onnx.Proto;

namespace Quiver.Models.Tests.Onnx;

public sealed class OnnxGraphBuilderTests
{
    [Fact]
    public void MatMul_and_Add_graph_runs_in_onnx_runtime_with_the_expected_numbers()
    {
        var graph = new OnnxGraphBuilder("affine");
        var x = graph.AddInput("x", TensorProto.Types.DataType.Float, "batch", 3);
        var w = graph.AddInitializer("w", [1, 2, 3, 4, 5, 6], 3, 2);
        var b = graph.AddInitializer("b", [0.5f, -1], 2);
        var product = graph.AddNode("MatMul", [x, w]);
        var y = graph.AddNode("Add", "affine", [product, b], ["y"])[0];
        graph.AddOutput(y, TensorProto.Types.DataType.Float, "batch", 2);

        var output = RunSingle(graph.Build(), "x", [1, 0, 0, 1, 1, 1, -1, 2, 0.5f], [3, 3], out var shape);

        Assert.Equal([3, 2], shape);
        Assert.Equal([1.5f, 1, 9.5f, 11, 8, 8], output);
    }

    [Fact]
    public void Zero_valued_attributes_and_int64_initializers_reach_the_runtime()
    {
        // Concat's axis is required, so a proto3 writer that dropped i = 0 as a default would fail to load here.
        var graph = new OnnxGraphBuilder("concat");
        var x = graph.AddInput("x", TensorProto.Types.DataType.Float, 2, 2);
        var shape = graph.AddInt64Initializer("shape", [1, -1], 2);
        var stacked = graph.AddNode("Concat", [x, x], OnnxAttribute.Int("axis", 0));
        var flat = graph.AddNode("Reshape", [stacked, shape]);
        graph.AddOutput(flat, TensorProto.Types.DataType.Float, 1, 8);

        var output = RunSingle(graph.Build(), "x", [1, 2, 3, 4], [2, 2], out var outputShape);

        Assert.Equal([1, 8], outputShape);
        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4], output);
    }

    [Fact]
    public void Generated_names_are_unique_and_follow_the_exporters_convention()
    {
        var graph = new OnnxGraphBuilder("names") { Scope = "/encoder/layer.0" };
        var x = graph.AddInput("x", TensorProto.Types.DataType.Float, 1);

        var first = graph.AddNode("Neg", [x]);
        var second = graph.AddNode("Neg", [first]);
        var pair = graph.AddNode("Split", [second], outputCount: 2);

        Assert.Equal("/encoder/layer.0/Neg_output_0", first);
        Assert.Equal("/encoder/layer.0/Neg_1_output_0", second);
        Assert.Equal(["/encoder/layer.0/Split_output_0", "/encoder/layer.0/Split_output_1"], pair);
    }

    [Fact]
    public void Generated_names_step_around_names_the_caller_chose()
    {
        var graph = new OnnxGraphBuilder("names");
        var x = graph.AddInput("/Relu_output_0", TensorProto.Types.DataType.Float, 1);

        Assert.Equal("/Relu_1_output_0", graph.AddNode("Relu", [x]));
    }

    [Fact]
    public void Mistakes_are_reported_with_the_offending_name()
    {
        var graph = new OnnxGraphBuilder("mistakes");
        var x = graph.AddInput("x", TensorProto.Types.DataType.Float, 2);

        Assert.Contains("'missing'", Assert.Throws<ArgumentException>(() => graph.AddNode("Add", [x, "missing"])).Message, StringComparison.Ordinal);
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => graph.AddInitializer("x", [1f])).Message, StringComparison.Ordinal);
        Assert.Contains("[2, 2]", Assert.Throws<ArgumentException>(() => graph.AddInitializer("w", [1f, 2, 3], 2, 2)).Message, StringComparison.Ordinal);

        graph.AddOutput("y", TensorProto.Types.DataType.Float, 2);
        Assert.Contains("'y'", Assert.Throws<InvalidOperationException>(graph.Build).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_declares_opset_17_and_ir_version_8()
    {
        var graph = new OnnxGraphBuilder("identity");
        var x = graph.AddInput("x", TensorProto.Types.DataType.Float, 1);
        graph.AddOutput(graph.AddNode("Identity", [x]), TensorProto.Types.DataType.Float, 1);

        var model = ModelProto.Parser.ParseFrom(graph.Build());

        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal((string.Empty, 17L), (opset.Domain, opset.Version));
        Assert.Equal("identity", model.Graph.Name);
    }

    private static float[] RunSingle(byte[] model, string inputName, float[] input, long[] inputShape, out long[] outputShape)
    {
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [value], [session.OutputNames[0]]);
        outputShape = results[0].GetTensorTypeAndShape().Shape;
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
