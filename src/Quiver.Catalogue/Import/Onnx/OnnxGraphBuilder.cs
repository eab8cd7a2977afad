using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Quiver.Catalogue.Import.Onnx.Proto;

namespace Quiver.Catalogue.Import.Onnx;

/// <summary>
/// Builds one ONNX graph in topological order (inputs and initializers, then nodes that consume what already exists)
/// and serialises it as a model for the default operator set, version <see cref="OpsetVersion"/>.
/// </summary>
/// <remarks>
/// Generated names follow the PyTorch exporter's convention, <c>{scope}/{op}</c> for a node and
/// <c>{node}_output_{i}</c> for its outputs, so a model built here reads like one exported by optimum in Netron or
/// in ONNX Runtime's error messages. A protobuf message is limited to 2 GiB, which bounds the total weight size.
/// </remarks>
internal sealed class OnnxGraphBuilder
{
    /// <summary>IR version 8 is the one ONNX 1.12, the release that introduced opset 17, writes.</summary>
    public const long IrVersion = 8;

    /// <summary>Opset 17 is the first with LayerNormalization, and the one optimum exports transformers with.</summary>
    public const long OpsetVersion = 17;

    private readonly GraphProto _graph;
    private readonly string _producerName;
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName, string producerName = "Quiver")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        _graph = new GraphProto { Name = graphName };
        _producerName = producerName;
    }

    /// <summary>
    /// Prefix for generated node names, such as "/encoder/layer.0/attention/self"; empty for none.
    /// </summary>
    public string Scope { get; set; } = string.Empty;

    public string AddInput(string name, TensorProto.Types.DataType elementType, params ReadOnlySpan<OnnxDimension> shape)
    {
        Declare(name);
        _graph.Input.Add(ValueInfo(name, elementType, shape));
        return name;
    }

    /// <summary>Declares a graph output; the value it names must be produced by the time <see cref="Build"/> runs.</summary>
    public void AddOutput(string name, TensorProto.Types.DataType elementType, params ReadOnlySpan<OnnxDimension> shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_graph.Output.Any(o => o.Name == name))
        {
            throw new ArgumentException($"The graph already has an output named '{name}'.", nameof(name));
        }

        _graph.Output.Add(ValueInfo(name, elementType, shape));
    }

    /// <summary>A float constant stored as little-endian raw data; the data are copied.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> data, params ReadOnlySpan<long> dims)
    {
        var bytes = new byte[checked(data.Length * sizeof(float))];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(data).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < data.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
            }
        }

        return AddRawInitializer(name, TensorProto.Types.DataType.Float, data.Length, bytes, dims);
    }

    /// <summary>An int64 constant (shapes, axes, indices) stored as little-endian raw data.</summary>
    public string AddInt64Initializer(string name, ReadOnlySpan<long> data, params ReadOnlySpan<long> dims)
    {
        var bytes = new byte[checked(data.Length * sizeof(long))];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), data[i]);
        }

        return AddRawInitializer(name, TensorProto.Types.DataType.Int64, data.Length, bytes, dims);
    }

    /// <summary>An int32 constant stored as little-endian raw data.</summary>
    public string AddInt32Initializer(string name, ReadOnlySpan<int> data, params ReadOnlySpan<long> dims)
    {
        var bytes = new byte[checked(data.Length * sizeof(int))];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), data[i]);
        }

        return AddRawInitializer(name, TensorProto.Types.DataType.Int32, data.Length, bytes, dims);
    }

    /// <summary>A bool constant, one byte per value as ONNX stores bools in raw data.</summary>
    public string AddBoolInitializer(string name, ReadOnlySpan<bool> data, params ReadOnlySpan<long> dims)
    {
        var bytes = new byte[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            bytes[i] = data[i] ? (byte)1 : (byte)0;
        }

        return AddRawInitializer(name, TensorProto.Types.DataType.Bool, data.Length, bytes, dims);
    }

    /// <summary>The nodes added so far.</summary>
    public int NodeCount => _graph.Node.Count;

    /// <summary>The initializers added so far.</summary>
    public int InitializerCount => _graph.Initializer.Count;

    /// <summary>Adds a node with one output, named after the node, and returns that output's name.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, params ReadOnlySpan<AttributeProto> attributes) =>
        AddNode(opType, inputs, outputCount: 1, attributes)[0];

    /// <summary>Adds a node whose outputs are named after the node, and returns their names in order.</summary>
    public IReadOnlyList<string> AddNode(string opType, IReadOnlyList<string> inputs, int outputCount, params ReadOnlySpan<AttributeProto> attributes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputCount);
        string nodeName;
        string[] outputs;
        var suffix = 0;
        do
        {
            nodeName = $"{Scope}/{opType}" + (suffix == 0 ? string.Empty : $"_{suffix}");
            suffix++;
            var candidate = nodeName;
            outputs = [.. Enumerable.Range(0, outputCount).Select(i => $"{candidate}_output_{i}")];
        }
        while (_nodeNames.Contains(nodeName) || outputs.Any(_values.Contains));

        return AddNode(opType, nodeName, inputs, outputs, attributes);
    }

    /// <summary>
    /// Adds a node with the given names for itself and its outputs (for values the caller refers to by name, such as
    /// the graph's outputs). Every input must already exist; an empty string stands for an omitted optional input.
    /// </summary>
    public IReadOnlyList<string> AddNode(string opType, string nodeName, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params ReadOnlySpan<AttributeProto> attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        if (_nodeNames.Contains(nodeName))
        {
            throw new ArgumentException($"The graph already has a node named '{nodeName}'.", nameof(nodeName));
        }

        foreach (var input in inputs)
        {
            if (input.Length > 0 && !_values.Contains(input))
            {
                throw new ArgumentException(
                    $"Node '{nodeName}' ({opType}) reads '{input}', which is not a graph input, an initializer or the output of an earlier node.",
                    nameof(inputs));
            }
        }

        // Checked before anything is recorded, so a refused node leaves the graph as it was.
        foreach (var output in outputs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(output, nameof(outputs));
            if (_values.Contains(output) || outputs.Count(o => o == output) > 1)
            {
                throw new ArgumentException($"Node '{nodeName}' ({opType}) would write '{output}', which the graph already has or the node names twice.", nameof(outputs));
            }
        }

        _nodeNames.Add(nodeName);
        _values.UnionWith(outputs);
        var node = new NodeProto { Name = nodeName, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var attribute in attributes)
        {
            node.Attribute.Add(attribute);
        }

        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>The serialised ModelProto, ready to write as a .onnx file or to hand to an InferenceSession.</summary>
    public byte[] Build()
    {
        foreach (var output in _graph.Output)
        {
            if (!_values.Contains(output.Name))
            {
                throw new InvalidOperationException($"Graph output '{output.Name}' is not produced by any node, input or initializer.");
            }
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = _producerName,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        return model.ToByteArray();
    }

    private string AddRawInitializer(string name, TensorProto.Types.DataType type, int count, byte[] bytes, ReadOnlySpan<long> dims)
    {
        long elements = 1;
        foreach (var dim in dims)
        {
            elements *= dim;
        }

        if (elements != count)
        {
            throw new ArgumentException(
                $"Initializer '{name}' has {count} values but its shape [{string.Join(", ", dims.ToArray())}] holds {elements}.",
                nameof(dims));
        }

        Declare(name);
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)type,
            RawData = UnsafeByteOperations.UnsafeWrap(bytes),
        };
        foreach (var dim in dims)
        {
            tensor.Dims.Add(dim);
        }

        _graph.Initializer.Add(tensor);
        return name;
    }

    private void Declare(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_values.Add(name))
        {
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
        }
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType elementType, ReadOnlySpan<OnnxDimension> shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = new TensorShapeProto() };
        foreach (var dimension in shape)
        {
            tensorType.Shape.Dim.Add(dimension.Symbol is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dimension.Size });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
