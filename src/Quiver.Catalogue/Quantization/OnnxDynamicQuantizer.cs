using System.Buffers.Binary;
using Google.Protobuf;
using Quiver.Catalogue.Import.Onnx;
using Quiver.Catalogue.Import.Onnx.Proto;
using Quiver.Models.Onnx;
using static Quiver.Catalogue.Import.Onnx.Proto.TensorProto.Types;

namespace Quiver.Catalogue.Quantization;

/// <summary>
/// Rewrites an ONNX model for dynamic int8 quantisation: every MatMul and Gemm that multiplies an activation by a
/// constant float matrix gets that matrix as symmetric int8 (zero point 0, per-tensor or per-column scales), and its
/// activation quantised to uint8 when the model runs, by DynamicQuantizeLinear. Everything else stays float: the
/// embedding tables, LayerNorm, softmax, and the products of two activations in attention.
/// </summary>
/// <remarks>
/// The rewrite works on the model's protobuf in place and keeps the nodes in their order, putting each new node where
/// the product it replaces was, so the graph stays topologically sorted. One DynamicQuantizeLinear serves every
/// product of the same activation (attention's query, key and value projections read the same hidden states): a
/// smaller graph, and on MiniLM no slower than one per product, which ONNX Runtime would fuse into each product.
/// </remarks>
internal static class OnnxDynamicQuantizer
{
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>DynamicQuantizeLinear first appears in opset 11.</summary>
    private const long MinimumOpset = 11;

    /// <summary>
    /// The largest |integer| a weight becomes: [-64, 64], not [-127, 127]. On x86 CPUs without VNNI (AVX2 only, such as
    /// AMD Zen 3), ONNX Runtime multiplies the uint8 activations by int8 weights with an instruction that adds pairs of
    /// products in 16 bits, saturating at 32,767: 255 × 127 × 2 does not fit, 255 × 64 × 2 does. Measured with ONNX
    /// Runtime 1.31 on such a CPU, full-range weights put single dense layers 0.18 and a BERT's hidden states 0.7 away
    /// from exact int8 arithmetic; these weights give it to float rounding. A model file is made once and run anywhere,
    /// so it takes the range that is exact everywhere, at the price of one bit of weight precision.
    /// </summary>
    private const int WeightLimit = 64;

    /// <summary>Reads the model at <paramref name="source"/>, quantises it and writes it to <paramref name="target"/>.</summary>
    public static QuantizationSummary QuantizeFile(string source, string target, DynamicQuantizationOptions options)
    {
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(source);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFolderException(source, $"not a readable ONNX model ({e.Message}). Install the model again from its folder.", e);
        }

        var summary = Quantize(model, options, source);
        OnnxModelFile.Write(target, model.ToByteArray());
        return summary;
    }

    /// <summary>
    /// Rewrites <paramref name="model"/> in place. The checks that refuse a whole model (external data, an old opset,
    /// subgraphs) run first; a damaged weight found later leaves it partly rewritten, so discard it after an exception.
    /// </summary>
    /// <param name="file">The model's path, for error messages.</param>
    public static QuantizationSummary Quantize(ModelProto model, DynamicQuantizationOptions options, string file)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return new Rewrite(model, options, file).Run();
    }

    private sealed record QuantizedWeight(string Values, string Scale, string ZeroPoint, int Columns);

    private sealed record QuantizedActivation(string Values, string Scale, string ZeroPoint);

    private sealed class Rewrite
    {
        private readonly ModelProto _model;
        private readonly GraphProto _graph;
        private readonly DynamicQuantizationOptions _options;
        private readonly string _file;
        private readonly Dictionary<string, TensorProto> _initializers;
        private readonly HashSet<string> _graphInputs;
        private readonly HashSet<string> _graphOutputs;
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Name, bool Transposed, float Alpha), QuantizedWeight> _weights = [];
        private readonly Dictionary<string, QuantizedActivation> _activations = new(StringComparer.Ordinal);
        private readonly HashSet<string> _replacedConstants = new(StringComparer.Ordinal);
        private readonly HashSet<NodeProto> _folded = new(ReferenceEqualityComparer.Instance);
        private readonly List<NodeProto> _nodes = [];
        private int _matMuls;
        private int _gemms;
        private int _floatMatMuls;
        private long _floatBytes;
        private long _quantizedBytes;

        public Rewrite(ModelProto model, DynamicQuantizationOptions options, string file)
        {
            _model = model;
            _graph = model.Graph ?? throw new ModelFolderException(file, "the model has no graph. Export it again.");
            _options = options;
            _file = file;
            _initializers = _graph.Initializer.GroupBy(i => i.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            _graphInputs = new HashSet<string>(_graph.Input.Select(i => i.Name), StringComparer.Ordinal);
            _graphOutputs = new HashSet<string>(_graph.Output.Select(o => o.Name), StringComparer.Ordinal);
            _names.UnionWith(_initializers.Keys);
            _names.UnionWith(_graphInputs);
            foreach (var node in _graph.Node)
            {
                _names.Add(node.Name);
                _names.UnionWith(node.Output);
                foreach (var input in node.Input.Where(i => i.Length > 0))
                {
                    if (!_consumers.TryGetValue(input, out var list))
                    {
                        _consumers[input] = list = [];
                    }

                    list.Add(node);
                }
            }
        }

        public QuantizationSummary Run()
        {
            Check();
            foreach (var node in _graph.Node)
            {
                if (_folded.Contains(node))
                {
                    continue;
                }

                if (IsOnnxOp(node, "MatMul") && node.Input.Count == 2 && TryConstantMatrix(node.Input[1], out var weight))
                {
                    ReplaceMatMul(node, weight);
                }
                else if (IsOnnxOp(node, "Gemm") && TryGemm(node, out var gemmWeight, out var bias))
                {
                    ReplaceGemm(node, gemmWeight, bias);
                }
                else
                {
                    if (IsOnnxOp(node, "MatMul") || IsOnnxOp(node, "Gemm"))
                    {
                        _floatMatMuls++;
                    }

                    _nodes.Add(node);
                }
            }

            if (_matMuls + _gemms == 0)
            {
                throw new ModelFolderException(
                    _file,
                    "no MatMul or Gemm multiplies by a constant float weight matrix, so there is nothing to quantise to int8. " +
                    "Quantisation is for transformer encoders, whose dense layers are such products.");
            }

            _graph.Node.Clear();
            _graph.Node.AddRange(_nodes);
            RemoveReplacedConstants();
            if (_options.Formulation == QuantizedMatMulFormulation.MatMulIntegerToFloat && !_model.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
            {
                _model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
            }

            return new QuantizationSummary(_matMuls, _gemms, _floatMatMuls, _activations.Count, _folded.Count, _floatBytes, _quantizedBytes, _options);
        }

        /// <summary>Refuses models the rewrite cannot handle, before anything is changed.</summary>
        private void Check()
        {
            if (_graph.Initializer.FirstOrDefault(i => i.DataLocation == DataLocation.External) is { } external)
            {
                var location = external.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "another file";
                throw new ModelFolderException(
                    _file,
                    $"the initializer '{external.Name}' keeps its values in {location} (ONNX external data), and the quantiser reads weights " +
                    "from the model file itself. Save the model with its weights inside the file (onnx.save_model(model, path, " +
                    "save_as_external_data=False), possible below 2 GiB), install it again and quantise that.");
            }

            var opset = _model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
            if (opset < MinimumOpset)
            {
                throw new ModelFolderException(
                    _file,
                    $"the model uses ONNX opset {opset}; int8 quantisation needs opset {MinimumOpset} or later (DynamicQuantizeLinear). Export the model again with a newer opset.");
            }

            if (_graph.Node.FirstOrDefault(n => n.Attribute.Any(a => a.Type is AttributeProto.Types.AttributeType.Graph or AttributeProto.Types.AttributeType.Graphs)) is { } control)
            {
                throw new ModelFolderException(
                    _file,
                    $"node '{control.Name}' ({control.OpType}) has a subgraph; the quantiser rewrites flat graphs only, as transformer encoders exported by optimum are.");
            }
        }

        private void ReplaceMatMul(NodeProto node, TensorProto weight)
        {
            var activation = QuantizeActivation(node.Input[0]);
            var quantized = QuantizeWeight(weight, transposed: false, alpha: 1);
            var output = node.Output[0];
            var bias = string.Empty;
            if (TryFoldBias(output, quantized.Columns, out var add, out var foldedBias))
            {
                _folded.Add(add);
                output = add.Output[0];
                bias = foldedBias;
            }

            AddProduct(NameOf(node), activation, quantized, bias, output);
            _matMuls++;
        }

        private void ReplaceGemm(NodeProto node, TensorProto weight, string bias)
        {
            var activation = QuantizeActivation(node.Input[0]);
            var alpha = FloatAttribute(node, "alpha", 1f);
            var quantized = QuantizeWeight(weight, transposed: IntAttribute(node, "transB", 0) != 0, alpha);
            AddProduct(NameOf(node), activation, quantized, bias, node.Output[0]);
            _gemms++;
        }

        /// <summary>Adds the nodes computing <paramref name="output"/> = activation × weight (+ bias) in the chosen formulation.</summary>
        private void AddProduct(string name, QuantizedActivation activation, QuantizedWeight weight, string bias, string output)
        {
            if (_options.Formulation == QuantizedMatMulFormulation.MatMulIntegerToFloat)
            {
                List<string> inputs = [activation.Values, weight.Values, activation.Scale, weight.Scale, activation.ZeroPoint, weight.ZeroPoint];
                if (bias.Length > 0)
                {
                    inputs.Add(bias);
                }

                AddNode("MatMulIntegerToFloat", MicrosoftDomain, name + "_quant", inputs, [output]);
                return;
            }

            // The pattern ONNX Runtime's optimiser fuses back into MatMulIntegerToFloat, bias included: it takes the Add's
            // second input as the bias, so the bias goes second (exporters often write it first).
            var product = AddNode("MatMulInteger", string.Empty, name + "_quant", [activation.Values, weight.Values, activation.ZeroPoint, weight.ZeroPoint], [Unique(output + "_int32")])[0];
            var asFloat = AddNode("Cast", string.Empty, name + "_cast", [product], [Unique(output + "_float")], OnnxAttribute.Int("to", (long)DataType.Float))[0];
            var scale = AddNode("Mul", string.Empty, name + "_scale", [activation.Scale, weight.Scale], [Unique(output + "_scale")])[0];
            if (bias.Length == 0)
            {
                AddNode("Mul", string.Empty, name + "_rescale", [asFloat, scale], [output]);
                return;
            }

            var scaled = AddNode("Mul", string.Empty, name + "_rescale", [asFloat, scale], [Unique(output + "_unbiased")])[0];
            AddNode("Add", string.Empty, name + "_bias", [scaled, bias], [output]);
        }

        private QuantizedActivation QuantizeActivation(string input)
        {
            if (!_activations.TryGetValue(input, out var quantized))
            {
                var outputs = AddNode(
                    "DynamicQuantizeLinear",
                    string.Empty,
                    input + "_quantize",
                    [input],
                    [Unique(input + "_quantized"), Unique(input + "_scale"), Unique(input + "_zero_point")]);
                _activations[input] = quantized = new QuantizedActivation(outputs[0], outputs[1], outputs[2]);
            }

            return quantized;
        }

        /// <summary>
        /// Symmetric int8: q = round(w / scale) with scale = max|w| / <see cref="WeightLimit"/> over the matrix or the
        /// column, so the largest weight maps to ±64 and zero stays exactly zero.
        /// </summary>
        /// <param name="transposed">Whether the matrix is stored [N, K] (Gemm's transB), to be written [K, N].</param>
        /// <param name="alpha">Gemm's factor on the product, folded into the scales.</param>
        private QuantizedWeight QuantizeWeight(TensorProto weight, bool transposed, float alpha)
        {
            if (_weights.TryGetValue((weight.Name, transposed, alpha), out var done))
            {
                return done;
            }

            var values = FloatValues(weight);
            var (rows, columns) = ((int)weight.Dims[0], (int)weight.Dims[1]);
            var (k, n) = transposed ? (columns, rows) : (rows, columns);
            float At(int i, int j) => transposed ? values[(j * columns) + i] : values[(i * columns) + j];

            var perChannel = _options.Granularity == QuantizationGranularity.PerChannel;
            var steps = new float[perChannel ? n : 1];
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var s = perChannel ? j : 0;
                    steps[s] = MathF.Max(steps[s], MathF.Abs(At(i, j)));
                }
            }

            for (var s = 0; s < steps.Length; s++)
            {
                // An all-zero column quantises to zeros whatever its step; 1 avoids dividing by zero.
                steps[s] = steps[s] > 0 ? steps[s] / WeightLimit : 1f;
            }

            var quantized = new byte[checked(k * n)];
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var q = MathF.Round(At(i, j) / steps[perChannel ? j : 0], MidpointRounding.ToEven);
                    quantized[(i * n) + j] = (byte)(sbyte)Math.Clamp(q, -WeightLimit, WeightLimit);
                }
            }

            var scales = steps.Select(s => s * alpha).ToArray();
            long[] scaleShape = perChannel ? [n] : [];
            var result = new QuantizedWeight(
                AddInitializer(weight.Name + "_quantized", DataType.Int8, quantized, k, n),
                AddInitializer(weight.Name + "_scale", DataType.Float, LittleEndian(scales), scaleShape),
                AddInitializer(weight.Name + "_zero_point", DataType.Int8, new byte[scales.Length], scaleShape),
                n);
            _weights[(weight.Name, transposed, alpha)] = result;
            _replacedConstants.Add(weight.Name);
            _floatBytes += (long)k * n * sizeof(float);
            _quantizedBytes += quantized.Length + (scales.Length * (sizeof(float) + 1));
            return result;
        }

        /// <summary>
        /// Whether <paramref name="product"/> feeds only an Add of a constant [N] vector: its bias, which the quantised
        /// product then adds itself (one pass over the output fewer per dense layer).
        /// </summary>
        private bool TryFoldBias(string product, int columns, out NodeProto add, out string bias)
        {
            add = null!;
            bias = string.Empty;
            if (_graphOutputs.Contains(product) || !_consumers.TryGetValue(product, out var consumers) || consumers.Count != 1)
            {
                return false;
            }

            var candidate = consumers[0];
            if (!IsOnnxOp(candidate, "Add") || candidate.Input.Count != 2)
            {
                return false;
            }

            var other = candidate.Input[0] == product ? candidate.Input[1] : candidate.Input[0];
            if (!TryConstant(other, out var tensor) || tensor.Dims.Count != 1 || tensor.Dims[0] != columns)
            {
                return false;
            }

            (add, bias) = (candidate, other);
            return true;
        }

        /// <summary>
        /// A Gemm whose B is a constant matrix, whose A is not transposed, and whose C (if any) is a constant row of N
        /// values, which becomes the product's bias (scaled by beta when beta is not 1).
        /// </summary>
        private bool TryGemm(NodeProto node, out TensorProto weight, out string bias)
        {
            bias = string.Empty;
            if (node.Input.Count < 2 || IntAttribute(node, "transA", 0) != 0 || !TryConstantMatrix(node.Input[1], out weight))
            {
                weight = null!;
                return false;
            }

            var columns = IntAttribute(node, "transB", 0) != 0 ? weight.Dims[0] : weight.Dims[1];
            if (node.Input.Count < 3 || node.Input[2].Length == 0)
            {
                return true;
            }

            if (!TryConstant(node.Input[2], out var c) || c.Dims.Aggregate(1L, (a, d) => a * d) != columns || c.Dims.Take(c.Dims.Count - 1).Any(d => d != 1))
            {
                return false;
            }

            var beta = FloatAttribute(node, "beta", 1f);
            if (beta == 1f && c.Dims.Count == 1)
            {
                bias = c.Name;
                return true;
            }

            var scaled = FloatValues(c).Select(v => v * beta).ToArray();
            bias = AddInitializer(c.Name + "_bias", DataType.Float, LittleEndian(scaled), columns);
            _replacedConstants.Add(c.Name);
            return true;
        }

        private bool TryConstantMatrix(string name, out TensorProto tensor) =>
            TryConstant(name, out tensor) && tensor.Dims.Count == 2 && tensor.Dims[0] > 0 && tensor.Dims[1] > 0;

        /// <summary>A float initializer that is not also a graph input (an input of the same name would override it at run time).</summary>
        private bool TryConstant(string name, out TensorProto tensor) =>
            _initializers.TryGetValue(name, out tensor!) && !_graphInputs.Contains(name) && tensor.DataType == (int)DataType.Float;

        private float[] FloatValues(TensorProto tensor)
        {
            var count = checked((int)tensor.Dims.Aggregate(1L, (a, d) => a * d));
            if (tensor.FloatData.Count == count && tensor.RawData.IsEmpty)
            {
                return [.. tensor.FloatData];
            }

            var raw = tensor.RawData.Span;
            if (raw.Length != count * sizeof(float))
            {
                throw new ModelFolderException(_file, $"the initializer '{tensor.Name}' has {raw.Length:N0} bytes of data for {count:N0} float values. The model file is damaged; export it again.");
            }

            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
            }

            return values;
        }

        private string AddInitializer(string wanted, DataType type, byte[] littleEndian, params ReadOnlySpan<long> dims)
        {
            var tensor = new TensorProto { Name = Unique(wanted), DataType = (int)type, RawData = UnsafeByteOperations.UnsafeWrap(littleEndian) };
            foreach (var dim in dims)
            {
                tensor.Dims.Add(dim);
            }

            _graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        private static byte[] LittleEndian(float[] values)
        {
            var bytes = new byte[values.Length * sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            }

            return bytes;
        }

        private IReadOnlyList<string> AddNode(string opType, string domain, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params ReadOnlySpan<AttributeProto> attributes)
        {
            var node = new NodeProto { Name = Unique(name), OpType = opType };
            if (domain.Length > 0)
            {
                node.Domain = domain;
            }

            node.Input.AddRange(inputs);
            node.Output.AddRange(outputs);
            foreach (var attribute in attributes)
            {
                node.Attribute.Add(attribute);
            }

            _nodes.Add(node);
            return outputs;
        }

        /// <summary>Drops the float matrices no node reads any more, and the shapes recorded for values that are gone.</summary>
        private void RemoveReplacedConstants()
        {
            var read = new HashSet<string>(_graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
            read.UnionWith(_graphOutputs);
            var unused = _graph.Initializer.Where(i => _replacedConstants.Contains(i.Name) && !read.Contains(i.Name)).ToList();
            foreach (var tensor in unused)
            {
                _graph.Initializer.Remove(tensor);
            }

            var produced = new HashSet<string>(_graph.Node.SelectMany(n => n.Output), StringComparer.Ordinal);
            var stale = _graph.ValueInfo.Where(v => !produced.Contains(v.Name)).ToList();
            foreach (var info in stale)
            {
                _graph.ValueInfo.Remove(info);
            }
        }

        private string Unique(string wanted)
        {
            if (_names.Add(wanted))
            {
                return wanted;
            }

            for (var i = 1; ; i++)
            {
                var candidate = $"{wanted}_{i}";
                if (_names.Add(candidate))
                {
                    return candidate;
                }
            }
        }

        private static string NameOf(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output[0];

        private static bool IsOnnxOp(NodeProto node, string opType) => node.OpType == opType && node.Domain is "" or "ai.onnx";

        private static long IntAttribute(NodeProto node, string name, long fallback) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : fallback;

        private static float FloatAttribute(NodeProto node, string name, float fallback) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.F : fallback;
    }
}
