using Quiver.Catalogue.Import.Onnx;
using Quiver.Catalogue.Import.Onnx.Proto;
using static Quiver.Catalogue.Import.Onnx.Proto.TensorProto.Types;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// Maps the nodes a TensorFlow.js graph's output depends on, in dependency order, to ONNX nodes with the same
/// semantics, and optionally replaces a SparseTensor input pair with dense token ids and an attention mask.
/// </summary>
/// <remarks>
/// Every ONNX node a TensorFlow node becomes is scoped "/{tf node}/{op}" (a name no TensorFlow node has, as they never
/// start with '/'), so ONNX Runtime's errors point back at the TensorFlow node. Constants become initializers under
/// their TensorFlow name when a node first reads them as a tensor; ones read only as attributes (axes, permutations)
/// leave nothing behind. Values keep TensorFlow's types: TensorFlow.js computes DT_INT64 in int32, which gives the
/// same results for the indices and shapes these graphs use int64 for.
/// </remarks>
internal sealed partial class TfJsGraphConverter
{
    private readonly TfJsGraphModel _model;
    private readonly TfJsImportOptions _options;
    private readonly OnnxGraphBuilder _graph = new("tfjs");
    private readonly Dictionary<string, TfJsNode> _nodes;
    private readonly Dictionary<string, TfJsValue[]> _values = new(StringComparer.Ordinal);
    private TfJsNode _node = null!;
    private int _constants;

    public TfJsGraphConverter(TfJsGraphModel model, TfJsImportOptions options)
    {
        _model = model;
        _options = options;
        _nodes = model.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
    }

    /// <summary>Converts the graph and returns the serialised ONNX model with what it holds.</summary>
    public (byte[] Model, TfJsImportResult Summary) Convert(string onnxPath)
    {
        if (_model.Nodes.Count == 0)
        {
            throw new TfJsImportException($"{_model.Path} has no nodes.");
        }

        var outputName = _options.OutputNode ?? _model.Nodes[^1].Name;
        var output = _nodes.GetValueOrDefault(outputName)
            ?? throw new TfJsImportException($"{_model.Path} has no node '{outputName}' to take the output from. Set TfJsImportOptions.OutputNode to one of its nodes.");
        var order = DependencyOrder(output);
        RefuseUnknownOps(order);
        var inputs = AddSparseInputs();
        foreach (var node in order)
        {
            _node = node;
            _graph.Scope = "/" + node.Name;
            _values[node.Name] = node.Op switch
            {
                "Const" => [ConstantOf(node)],
                "Placeholder" when inputs.Sparse.TryGetValue(node.Name, out var sparse) => [sparse],
                "Placeholder" => [AddPlaceholder(node, inputs.Names)],
                _ => Operations[node.Op](this),
            };
        }

        _graph.Scope = string.Empty;
        var result = _values[output.Name][0];
        var shape = result.Shape
            ?? throw new TfJsImportException($"The rank of {output.Description}'s output is not known at import time, so the ONNX output cannot declare a shape.");
        var dims = new OnnxDimension[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            dims[i] = shape[i] >= 0 ? shape[i] : i == 0 && inputs.Sparse.Count > 0 ? "batch" : $"{_options.OutputName}_dim{i}";
        }

        _graph.AddNode("Identity", _options.OutputName, [Name(result)], [_options.OutputName]);
        _graph.AddOutput(_options.OutputName, result.Type.ToOnnx(), dims);
        var bytes = _graph.Build();
        return (bytes, new TfJsImportResult(onnxPath, inputs.Names, _options.OutputName, shape, order.Count, _graph.NodeCount, _graph.InitializerCount));
    }

    /// <summary>The nodes <paramref name="output"/> depends on, each after its inputs (an iterative depth-first walk).</summary>
    private List<TfJsNode> DependencyOrder(TfJsNode output)
    {
        var order = new List<TfJsNode>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<(TfJsNode Node, int Next)>();
        stack.Push((output, 0));
        onPath.Add(output.Name);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Inputs.Count)
            {
                stack.Push((node, next + 1));
                var input = node.Inputs[next].Node;
                if (done.Contains(input))
                {
                    continue;
                }

                var producer = _nodes.GetValueOrDefault(input)
                    ?? throw new TfJsImportException($"{_model.Path}: {node.Description} reads '{node.Inputs[next]}', which is not a node of the graph.");
                if (!onPath.Add(input))
                {
                    throw new TfJsImportException($"{_model.Path}: {node.Description} is part of a cycle through '{input}'; graphs with loops are not supported.");
                }

                stack.Push((producer, 0));
                continue;
            }

            onPath.Remove(node.Name);
            done.Add(node.Name);
            order.Add(node);
        }

        return order;
    }

    private void RefuseUnknownOps(List<TfJsNode> order)
    {
        var unknown = order
            .Where(n => n.Op is not ("Const" or "Placeholder") && !Operations.ContainsKey(n.Op))
            .GroupBy(n => n.Op)
            .Select(g => $"'{g.Key}' (node '{g.First().Name}'{(g.Count() > 1 ? $" and {g.Count() - 1} more" : string.Empty)})")
            .ToArray();
        if (unknown.Length > 0)
        {
            throw new TfJsImportException(
                $"{_model.Path} uses TensorFlow op{(unknown.Length > 1 ? "s" : string.Empty)} {string.Join(", ", unknown)}, which the importer does not map to ONNX. " +
                $"It maps: {string.Join(", ", Operations.Keys.Order(StringComparer.Ordinal))}.");
        }
    }

    private TfJsValue ConstantOf(TfJsNode node)
    {
        var declared = node.Type("dtype");
        var where = $"Constant {node.Description} of {_model.Path}";
        if (_model.Weights.TryGetValue(node.Name, out var weight))
        {
            return TfJsValue.OfConstant(node.Name, weight.As(declared ?? weight.Type, where));
        }

        var inline = node.Tensor("value") is { } tensor ? TfJsTensor.FromJson(tensor, declared ?? TfDataType.Float, where) : null;
        return TfJsValue.OfConstant(node.Name, inline
            ?? throw new TfJsImportException($"{where} has no value: the weights manifest has no weight of that name and its tensor attribute lists no values. Check that model.json belongs with these shards."));
    }

    private TfJsValue AddPlaceholder(TfJsNode node, List<string> inputNames)
    {
        var type = node.Type("dtype") ?? throw new TfJsImportException($"Placeholder {node.Description} has no dtype.");
        var shape = node.Shape("shape")
            ?? throw new TfJsImportException($"Placeholder {node.Description} has no shape of known rank; ONNX inputs need a rank.");
        var dims = shape.Select((d, i) => d >= 0 ? OnnxDimension.Fixed(d) : OnnxDimension.Named($"{node.Name}_dim{i}")).ToArray();
        inputNames.Add(_graph.AddInput(node.Name, type.ToOnnx(), dims));
        return TfJsValue.Of(node.Name, type, shape);
    }

    /// <summary>
    /// The input stage for a SparseTensor of token ids: the sparse pair is computed from dense
    /// [batch, sequence] ids and mask. NonZero walks the mask row-major, so the indices come out as
    /// [[i, j] for each token j of sentence i], the order in which Universal Sentence Encoder's reference embed()
    /// builds them, and GatherND picks the ids in that same order. The mask must put each row's tokens first (right
    /// padding): a token's position is its column. A row with no tokens contributes nothing, as an empty sentence
    /// does in the reference; when it is the last row, the graph's dense batch is one row shorter.
    /// </summary>
    private (List<string> Names, Dictionary<string, TfJsValue> Sparse) AddSparseInputs()
    {
        var names = new List<string>();
        var sparse = new Dictionary<string, TfJsValue>(StringComparer.Ordinal);
        if (_options.SparseIndicesPlaceholder is null && _options.SparseValuesPlaceholder is null)
        {
            return (names, sparse);
        }

        if (_options.SparseIndicesPlaceholder is not { } indicesName || _options.SparseValuesPlaceholder is not { } valuesName)
        {
            throw new TfJsImportException("Set both SparseIndicesPlaceholder and SparseValuesPlaceholder (such as \"indices\" and \"values\"), or neither.");
        }

        var indices = SparsePlaceholder(indicesName, "SparseIndicesPlaceholder", rank: 2);
        var values = SparsePlaceholder(valuesName, "SparseValuesPlaceholder", rank: 1);
        _graph.Scope = "/input";
        var ids = _graph.AddInput(_options.InputIdsName, DataType.Int64, "batch", "sequence");
        var mask = _graph.AddInput(_options.AttentionMaskName, DataType.Int64, "batch", "sequence");
        names.AddRange([ids, mask]);
        var positions = _graph.AddNode("Transpose", [_graph.AddNode("NonZero", [mask])], OnnxAttribute.Ints("perm", 1, 0));
        var tokens = _graph.AddNode("GatherND", [ids, positions]);
        sparse[indicesName] = TfJsValue.Of(CastTo(positions, TfDataType.Int64, indices.Type), indices.Type, [-1, 2]);
        sparse[valuesName] = TfJsValue.Of(CastTo(tokens, TfDataType.Int64, values.Type), values.Type, [-1]);
        return (names, sparse);
    }

    private (TfDataType Type, long[] Shape) SparsePlaceholder(string name, string option, int rank)
    {
        if (_nodes.GetValueOrDefault(name) is not { Op: "Placeholder" } node)
        {
            var placeholders = _model.Nodes.Where(n => n.Op == "Placeholder").Select(n => $"'{n.Name}'");
            throw new TfJsImportException($"{option} is '{name}', but {_model.Path} has no placeholder of that name; its placeholders are {string.Join(", ", placeholders)}.");
        }

        var type = node.Type("dtype") ?? TfDataType.Invalid;
        var shape = node.Shape("shape");
        if (!type.IsInteger() || (shape is not null && (shape.Length != rank || (rank == 2 && shape[1] is not (2 or -1)))))
        {
            throw new TfJsImportException(
                $"Placeholder {node.Description} is {type.Name()} {TfJsShape.Format(shape)}, but {option} needs an integer placeholder of shape {(rank == 2 ? "[n, 2]" : "[n]")}.");
        }

        return (type, shape ?? []);
    }

    // ---- Helpers the operations share. ----

    private TfJsValue Input(int index)
    {
        if (index >= _node.Inputs.Count)
        {
            throw Error($"has {_node.Inputs.Count} inputs, but the op needs at least {index + 1}");
        }

        var input = _node.Inputs[index];
        var outputs = _values[input.Node];
        return input.Index < outputs.Length
            ? outputs[input.Index]
            : throw Error($"reads output {input.Index} of '{input.Node}', which has {outputs.Length}");
    }

    /// <summary>The ONNX name of input <paramref name="index"/>, writing a constant's initializer on first use.</summary>
    private string In(int index) => Name(Input(index));

    private string Name(TfJsValue value)
    {
        if (value.OnnxName is { } name)
        {
            return name;
        }

        var constant = value.Constant!;
        var producer = value.ConstantName!;
        value.OnnxName = constant.Type switch
        {
            TfDataType.Float => _graph.AddInitializer(producer, constant.Floats, constant.Shape),
            TfDataType.Int64 => _graph.AddInt64Initializer(producer, constant.Integers, constant.Shape),
            TfDataType.Int32 => _graph.AddInt32Initializer(producer, [.. constant.Integers!.Select(v => checked((int)v))], constant.Shape),
            _ => _graph.AddBoolInitializer(producer, [.. constant.Integers!.Select(v => v != 0)], constant.Shape),
        };
        return value.OnnxName;
    }

    /// <summary>The integer values of a constant input, for ops whose ONNX form takes them as attributes.</summary>
    private long[] ConstantInts(int index, string role)
    {
        var value = Input(index);
        return value.Constant?.Integers
            ?? throw Error(value.Constant is null
                ? $"needs its {role} (input {index}, '{_node.Inputs[index]}') to be a constant, but it is computed in the graph"
                : $"needs integer {role} (input {index}), not {value.Type.Name()}");
    }

    private string Node(string op, IReadOnlyList<string> inputs, params ReadOnlySpan<AttributeProto> attributes) =>
        _graph.AddNode(op, inputs, attributes);

    /// <summary>A 1-D int64 initializer, for the shapes, axes and bounds ONNX takes as int64 tensors.</summary>
    private string Int64s(params long[] values) =>
        _graph.AddInt64Initializer($"/{_node.Name}/const_{_constants++}", values, values.Length);

    /// <summary>An input as int64 (ONNX wants int64 shapes and indices; TensorFlow often has int32 ones).</summary>
    private string Int64Input(int index)
    {
        var value = Input(index);
        if (value.Type == TfDataType.Int64)
        {
            return Name(value);
        }

        if (!value.Type.IsInteger())
        {
            throw Error($"needs integer input {index}, not {value.Type.Name()}");
        }

        return value.Constant is { } constant
            ? _graph.AddInt64Initializer($"/{_node.Name}/const_{_constants++}", constant.Integers, constant.Shape)
            : Node("Cast", [Name(value)], OnnxAttribute.Int("to", (long)DataType.Int64));
    }

    private string CastTo(string value, TfDataType from, TfDataType to) =>
        from == to ? value : _graph.AddNode("Cast", [value], OnnxAttribute.Int("to", (long)to.ToOnnx()));

    private int RequireRank(TfJsValue value, string role) =>
        value.Rank ?? throw Error($"needs the rank of its {role}, which the import cannot tell");

    private static long NormalizeAxis(long axis, int rank) => axis < 0 ? axis + rank : axis;

    private TfJsImportException Error(string problem) =>
        new($"{char.ToUpperInvariant(_node.Description[0])}{_node.Description[1..]} of {_model.Path} {problem}.");
}
