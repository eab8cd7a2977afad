using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Quiver.Catalogue.Import.Onnx;
using Quiver.Catalogue.Import.Onnx.Proto;
using Quiver.Models.Onnx;
using Quiver.Catalogue.Quantization;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tests.Onnx;
using Xunit.Abstractions;
using static Quiver.Catalogue.Import.Onnx.Proto.TensorProto.Types;

namespace Quiver.Models.Tests.Quantization;

public sealed class OnnxDynamicQuantizerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] VeryDifferentLengths = [3, 17, 64];

    /// <summary>How far int8 may move a hidden state of the small test BERT (weights of std 0.2) from the float model's.</summary>
    private const double MaxInt8Error = 0.3;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(QuantizedMatMulFormulation.MatMulIntegerToFloat)]
    [InlineData(QuantizedMatMulFormulation.MatMulInteger)]
    public void Every_dense_layer_gets_int8_weights_and_attention_products_stay_float(QuantizedMatMulFormulation formulation)
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { Layers = 3, Seed = 21 });
        var (source, target) = (Write(weights), _folder.File("int8.onnx"));

        var summary = OnnxDynamicQuantizer.QuantizeFile(source, target, new DynamicQuantizationOptions { Formulation = formulation });

        var before = Read(source);
        var after = Read(target);
        Assert.Equal(8 * 3, Count(before, "MatMul"));
        Assert.Equal(2 * 3, Count(after, "MatMul"));
        var quantizedOp = formulation == QuantizedMatMulFormulation.MatMulIntegerToFloat ? "MatMulIntegerToFloat" : "MatMulInteger";
        Assert.Equal(6 * 3, Count(after, quantizedOp));

        // One activation quantiser per distinct input: the hidden states (read by query, key, value and, after the
        // attention block, by the intermediate layer are two different tensors), the attention context, the GELU output.
        Assert.Equal(4 * 3, Count(after, "DynamicQuantizeLinear"));
        Assert.Equal(new QuantizationSummary(18, 0, 6, 12, 18, summary.FloatWeightBytes, summary.QuantizedWeightBytes, summary.Options), summary);

        // No product reads a float matrix any more, and the only float matrices left are the embedding tables.
        var floats = after.Graph.Initializer.Where(i => i.DataType == (int)DataType.Float && i.Dims.Count == 2).Select(i => i.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight", "embeddings.word_embeddings.weight"], floats);
        var int8 = after.Graph.Initializer.Where(i => i.DataType == (int)DataType.Int8 && i.Dims.Count == 2).ToList();
        Assert.Equal(18, int8.Count);
        Assert.Equal(summary.FloatWeightBytes, int8.Sum(i => i.RawData.Length) * 4L);
        Assert.Equal(formulation == QuantizedMatMulFormulation.MatMulIntegerToFloat, after.OpsetImport.Any(o => o.Domain == OnnxDynamicQuantizer.MicrosoftDomain));
        if (formulation == QuantizedMatMulFormulation.MatMulInteger)
        {
            Assert.All(after.Graph.Node, node => Assert.Equal(string.Empty, node.Domain));
        }
    }

    [Theory]
    [InlineData(QuantizationGranularity.PerChannel)]
    [InlineData(QuantizationGranularity.PerTensor)]
    public void Weights_round_to_the_nearest_step_and_the_largest_reaches_64(QuantizationGranularity granularity)
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { Layers = 1, Hidden = 32, Intermediate = 48, Seed = 22 });
        var target = _folder.File("int8.onnx");
        OnnxDynamicQuantizer.QuantizeFile(Write(weights), target, new DynamicQuantizationOptions { Granularity = granularity });

        var model = Read(target);
        var (k, n) = (32, 48);
        var values = Int8Reference.Int8s(Int8Reference.Initializer(model, "encoder.layer.0.intermediate.dense.weight_quantized"));
        var scales = Int8Reference.Floats(Int8Reference.Initializer(model, "encoder.layer.0.intermediate.dense.weight_scale"));
        var zeroPoints = Int8Reference.Initializer(model, "encoder.layer.0.intermediate.dense.weight_zero_point");
        const int limit = 64;
        Assert.Equal(granularity == QuantizationGranularity.PerChannel ? n : 1, scales.Length);
        Assert.Equal(scales.Length, zeroPoints.RawData.Length);
        Assert.All(zeroPoints.RawData.ToByteArray(), z => Assert.Equal(0, z));

        var original = weights.Layers[0].IntermediateWeight;
        for (var j = 0; j < n; j++)
        {
            var scale = scales[scales.Length == 1 ? 0 : j];
            var largest = 0;
            for (var i = 0; i < k; i++)
            {
                var q = values[(i * n) + j];
                Assert.InRange(Math.Abs(original[(i * n) + j] - (q * scale)), 0, (scale / 2) * 1.0001);
                largest = Math.Max(largest, Math.Abs((int)q));
            }

            if (granularity == QuantizationGranularity.PerChannel)
            {
                Assert.Equal(limit, largest);
            }
        }

        Assert.Equal(limit, values.Max(v => Math.Abs((int)v)));
    }

    [Theory]
    [InlineData(QuantizedMatMulFormulation.MatMulInteger, QuantizationGranularity.PerChannel, GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(QuantizedMatMulFormulation.MatMulInteger, QuantizationGranularity.PerChannel, GraphOptimizationLevel.ORT_DISABLE_ALL)]
    [InlineData(QuantizedMatMulFormulation.MatMulInteger, QuantizationGranularity.PerTensor, GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(QuantizedMatMulFormulation.MatMulIntegerToFloat, QuantizationGranularity.PerChannel, GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(QuantizedMatMulFormulation.MatMulIntegerToFloat, QuantizationGranularity.PerChannel, GraphOptimizationLevel.ORT_DISABLE_ALL)]
    [InlineData(QuantizedMatMulFormulation.MatMulIntegerToFloat, QuantizationGranularity.PerTensor, GraphOptimizationLevel.ORT_DISABLE_ALL)]
    public void Quantised_matmul_and_gemm_compute_what_int8_arithmetic_gives(
        QuantizedMatMulFormulation formulation, QuantizationGranularity granularity, GraphOptimizationLevel optimization)
    {
        const int k = 40, n = 24, rows = 7;
        var random = new Random(23);
        var w = Normal(random, k * n, 0.05);
        var bias = Normal(random, n, 0.1);
        var gemmWeight = Normal(random, n * k, 0.05);
        var c = Normal(random, n, 0.1);

        // y = b + x·W as a MatMul and an Add with the bias first, as PyTorch exports it; z = 0.5·x2·Gᵀ + 2·c as one Gemm
        // with its weight stored transposed.
        var graph = new OnnxGraphBuilder("dense");
        var x = graph.AddInput("x", DataType.Float, "batch", "sequence", k);
        var x2 = graph.AddInput("x2", DataType.Float, "rows", k);
        graph.AddNode("Add", "dense", [graph.AddInitializer("b", bias, n), graph.AddNode("MatMul", [x, graph.AddInitializer("w", w, k, n)])], ["y"]);
        graph.AddNode("Gemm", "gemm", [x2, graph.AddInitializer("g", gemmWeight, n, k), graph.AddInitializer("c", c, n)], ["z"],
            OnnxAttribute.Int("transB", 1), OnnxAttribute.Float("alpha", 0.5f), OnnxAttribute.Float("beta", 2f));
        graph.AddOutput("y", DataType.Float, "batch", "sequence", n);
        graph.AddOutput("z", DataType.Float, "rows", n);
        var source = _folder.File("dense.onnx");
        OnnxModelFile.Write(source, graph.Build());
        var target = _folder.File("dense-int8.onnx");
        var summary = OnnxDynamicQuantizer.QuantizeFile(source, target, new DynamicQuantizationOptions { Formulation = formulation, Granularity = granularity });
        Assert.Equal((1, 1, 0), (summary.MatMuls, summary.Gemms, summary.FloatMatMuls));

        // Activations with a long tail, as hidden states have, so the scale is set by a few large values.
        var xValues = Normal(random, 2 * 5 * k, 1.0).Select((v, i) => i % 37 == 0 ? v * 6 : v).ToArray();
        var x2Values = Normal(random, rows * k, 0.5);
        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = optimization };
        using var session = new InferenceSession(target, sessionOptions);
        using var xTensor = OrtValue.CreateTensorValueFromMemory(xValues, [2, 5, k]);
        using var x2Tensor = OrtValue.CreateTensorValueFromMemory(x2Values, [rows, k]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["x", "x2"], [xTensor, x2Tensor], ["y", "z"]);
        var y = results[0].GetTensorDataAsSpan<float>().ToArray();
        var z = results[1].GetTensorDataAsSpan<float>().ToArray();

        var model = Read(target);
        Assert.Equal(1, summary.FoldedBiases);
        if (formulation == QuantizedMatMulFormulation.MatMulInteger)
        {
            // The bias second, where ONNX Runtime's fusion into MatMulIntegerToFloat looks for it.
            Assert.Equal("b", model.Graph.Node.Single(n => n.Output[0] == "y").Input[1]);
        }

        var expectedY = new Int8Reference(model, "w", w).Dense(Rows(xValues, k), w, bias);

        // The Gemm's int8 matrix is Gᵀ with alpha folded into its scales, and its bias is beta·c.
        var expectedZ = new Int8Reference(model, "g", gemmWeight).Dense(Rows(x2Values, k), gemmWeight, [.. c.Select(v => 2 * v)]);
        AssertClose(expectedY, y, "MatMul + Add");
        AssertClose(expectedZ, z, "Gemm");

        // And both are near the float products: int8 rounding, not a wrong formula, is all that separates them.
        var floatZ = Rows(x2Values, k).Select(row => Enumerable.Range(0, n).Select(o => (0.5 * row.Select((v, i) => v * gemmWeight[(o * k) + i]).Sum()) + (2 * c[o])).ToArray()).ToArray();
        Assert.True(Cosine(floatZ.SelectMany(r => r).ToArray(), z) > 0.999, "the quantised Gemm is not the float Gemm");
    }

    [Theory]
    [InlineData(QuantizationGranularity.PerChannel, QuantizedMatMulFormulation.MatMulInteger)]
    [InlineData(QuantizationGranularity.PerTensor, QuantizedMatMulFormulation.MatMulInteger)]
    [InlineData(QuantizationGranularity.PerChannel, QuantizedMatMulFormulation.MatMulIntegerToFloat)]
    public void Quantised_bert_follows_an_int8_reference_forward_pass(QuantizationGranularity granularity, QuantizedMatMulFormulation formulation)
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { InitStd = 0.2, Seed = 24 });
        var (source, target) = (Write(weights), _folder.File("int8.onnx"));
        OnnxDynamicQuantizer.QuantizeFile(source, target, new DynamicQuantizationOptions { Granularity = granularity, Formulation = formulation });
        var reference = new Int8Reference(weights, Read(target));
        var (ids, types) = BertBatch.Sequences(weights.Options, VeryDifferentLengths, seed: 25);

        for (var b = 0; b < ids.Length; b++)
        {
            // Alone, so that each activation tensor (and so its int8 scale) is exactly the reference's.
            var quantized = BertBatch.Run(target, [ids[b]], [types[b]]);
            var full = BertBatch.Run(source, [ids[b]], [types[b]]);
            var expected = NaiveBert.Forward(weights, ids[b], types[b], reference.Dense);
            var toReference = MaxDifference(expected, quantized, 0);
            var floatToReference = MaxDifference(expected, full, 0);
            output.WriteLine($"{ids[b].Length} tokens: int8 model {toReference:E2} from the int8 reference, float model {floatToReference:E2}");

            // About 5e-7 is float32 against double; a value rounded to the other side of a step in one activation
            // would show as ~1e-3. The float model is 0.1 away, so a wrong scale, a lost bias or a skipped layer cannot pass.
            Assert.True(toReference <= 1e-4, $"the int8 model is {toReference} from the int8 reference on {ids[b].Length} tokens");
            Assert.True(floatToReference > 1000 * toReference, $"the float model ({floatToReference}) is as close to the int8 reference as the int8 model ({toReference})");
        }
    }

    [Fact]
    public void Padded_batch_of_very_different_lengths_stays_close_to_the_float_model()
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { InitStd = 0.2, Seed = 26 });
        var (source, target) = (Write(weights), _folder.File("int8.onnx"));
        OnnxDynamicQuantizer.QuantizeFile(source, target, new DynamicQuantizationOptions());
        var (ids, types) = BertBatch.Sequences(weights.Options, VeryDifferentLengths, seed: 27);

        var full = BertBatch.Run(source, ids, types);
        var quantized = BertBatch.Run(target, ids, types);
        var unmasked = BertBatch.Run(target, ids, types, maskPadding: false);
        var hidden = weights.Options.Hidden;
        for (var b = 0; b < ids.Length; b++)
        {
            var alone = BertBatch.Run(target, [ids[b]], [types[b]]);
            double worst = 0, worstUnmasked = 0, worstAlone = 0;
            var pooledFull = new double[hidden];
            var pooledQuantized = new double[hidden];
            for (var t = 0; t < ids[b].Length; t++)
            {
                for (var j = 0; j < hidden; j++)
                {
                    worst = Math.Max(worst, Math.Abs(quantized.At(b, t, j) - full.At(b, t, j)));
                    worstUnmasked = Math.Max(worstUnmasked, Math.Abs(unmasked.At(b, t, j) - full.At(b, t, j)));
                    worstAlone = Math.Max(worstAlone, Math.Abs(quantized.At(b, t, j) - alone.At(0, t, j)));
                    pooledFull[j] += full.At(b, t, j);
                    pooledQuantized[j] += quantized.At(b, t, j);
                }
            }

            output.WriteLine($"{ids[b].Length} tokens: cosine {Cosine(pooledFull, pooledQuantized):F6}, int8 − float {worst:E2}, unmasked int8 − float {worstUnmasked:E2}, batch − alone {worstAlone:E2}");
            Assert.True(Cosine(pooledFull, pooledQuantized) >= 0.99, $"the mean-pooled int8 vector of {ids[b].Length} tokens has cosine {Cosine(pooledFull, pooledQuantized)} to the float one");

            // Hidden states are ~N(0, 1) here; int8 moves them by about 0.1 (attention with weights of std 0.2 is sharp,
            // so small errors in the scores grow). In a batch each activation's scale covers the padding rows too, so a
            // sequence moves by as much between its batch and its own call. Attending to the padding moves it by 2.
            Assert.True(worst <= MaxInt8Error, $"an int8 hidden state of sequence {b} is {worst} from the float model's");
            Assert.True(worstAlone <= MaxInt8Error, $"sequence {b} moves by {worstAlone} between the padded batch and its own call");
            if (ids[b].Length < VeryDifferentLengths.Max())
            {
                Assert.True(worstUnmasked > 3 * MaxInt8Error, $"ignoring the mask moved sequence {b} by only {worstUnmasked}, so the bound could not see a lost mask");
            }
        }
    }

    [Fact]
    public void A_model_without_constant_weight_matrices_is_refused()
    {
        var graph = new OnnxGraphBuilder("products");
        var a = graph.AddInput("a", DataType.Float, 2, 3);
        var b = graph.AddInput("b", DataType.Float, 3, 4);
        graph.AddNode("MatMul", "product", [a, b], ["c"]);
        graph.AddOutput("c", DataType.Float, 2, 4);
        var source = _folder.File("products.onnx");
        OnnxModelFile.Write(source, graph.Build());

        var error = Assert.Throws<ModelFolderException>(() => OnnxDynamicQuantizer.QuantizeFile(source, _folder.File("out.onnx"), new DynamicQuantizationOptions()));

        Assert.Contains("nothing to quantise", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("out.onnx")));
    }

    [Fact]
    public void Weights_in_an_external_data_file_are_refused_with_how_to_fix_it()
    {
        var model = Read(Write(SyntheticBertWeights.Generate(new SyntheticBertOptions { Layers = 1, Seed = 28 })));
        var weight = model.Graph.Initializer.First(i => i.Name == "encoder.layer.0.attention.self.query.weight");
        weight.RawData = ByteString.Empty;
        weight.DataLocation = DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "model.onnx_data" });
        var source = _folder.File("external.onnx");
        File.WriteAllBytes(source, model.ToByteArray());

        var error = Assert.Throws<ModelFolderException>(() => OnnxDynamicQuantizer.QuantizeFile(source, _folder.File("out.onnx"), new DynamicQuantizationOptions()));

        Assert.Contains("model.onnx_data", error.Message, StringComparison.Ordinal);
        Assert.Contains("save_as_external_data=False", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("out.onnx")));
    }

    [Fact]
    public void An_opset_older_than_dynamic_quantize_linear_is_refused()
    {
        var model = Read(Write(SyntheticBertWeights.Generate(new SyntheticBertOptions { Layers = 1, Seed = 29 })));
        model.OpsetImport[0].Version = 10;

        var error = Assert.Throws<ModelFolderException>(() => OnnxDynamicQuantizer.Quantize(model, new DynamicQuantizationOptions(), "old.onnx"));

        Assert.Contains("opset 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("opset 11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_survive_the_rewrite()
    {
        var model = Read(Write(SyntheticBertWeights.Generate(new SyntheticBertOptions { Layers = 1, Seed = 30 })));

        // Field 13 of an attribute is ONNX's doc_string, which our subset leaves out: a reader keeps it as an unknown field.
        var node = model.Graph.Node.First(n => n.OpType == "Softmax");
        var withUnknown = AttributeProto.Parser.ParseFrom([.. node.Attribute[0].ToByteArray(), 0x6A, 0x02, (byte)'h', (byte)'i']);
        node.Attribute[0] = withUnknown;
        var source = _folder.File("unknown.onnx");
        File.WriteAllBytes(source, model.ToByteArray());
        var target = _folder.File("out.onnx");

        OnnxDynamicQuantizer.QuantizeFile(source, target, new DynamicQuantizationOptions());

        var softmax = Read(target).Graph.Node.First(n => n.OpType == "Softmax");
        Assert.Equal(withUnknown.ToByteArray(), softmax.Attribute[0].ToByteArray());
    }

    private string Write(SyntheticBertWeights weights)
    {
        var path = _folder.File($"bert-{Guid.NewGuid():N}.onnx");
        SyntheticBert.WriteOnnx(path, weights);
        return path;
    }

    private static ModelProto Read(string path) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

    private static int Count(ModelProto model, string opType) => model.Graph.Node.Count(n => n.OpType == opType);

    private static float[] Normal(Random random, int count, double std) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];

    private static double[][] Rows(float[] values, int width) => [.. values.Chunk(width).Select(row => row.Select(v => (double)v).ToArray())];

    private void AssertClose(double[][] expected, float[] actual, string what)
    {
        var flat = expected.SelectMany(r => r).ToArray();
        var worst = flat.Select((e, i) => Math.Abs(e - actual[i])).Max();
        var scale = flat.Max(Math.Abs);
        output.WriteLine($"{what}: {worst:E2} from the int8 reference (values up to {scale:F3})");
        Assert.True(worst <= 1e-5 * scale, $"{what} is {worst} from the int8 reference (values up to {scale})");
    }

    private static double MaxDifference(double[][] expected, BertOutput actual, int b)
    {
        double worst = 0;
        for (var t = 0; t < expected.Length; t++)
        {
            for (var j = 0; j < expected[t].Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(actual.At(b, t, j) - expected[t][j]));
            }
        }

        return worst;
    }

    private static double Cosine(IReadOnlyList<double> a, IReadOnlyList<double> b) => Cosine([.. a], b.Select(v => (float)v).ToArray());

    private static double Cosine(double[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
