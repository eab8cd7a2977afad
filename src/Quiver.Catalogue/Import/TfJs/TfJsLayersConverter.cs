using System.Text.Json;
using Quiver.Catalogue.Import.Onnx;
using static Quiver.Catalogue.Import.Onnx.Proto.TensorProto.Types;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// Maps the Keras layers an output depends on, in config order (which Keras writes each after its inputs), to ONNX
/// nodes with the same semantics.
/// </summary>
/// <remarks>
/// Image values are kept NCHW inside the graph, as ONNX's Conv and pooling ops want them, and turned back to channels
/// last only where Keras's meaning depends on the layout (Flatten, Reshape, Dense) and at the output. Every ONNX node
/// a layer becomes is scoped "/{layer}/{op}", so ONNX Runtime's errors point back at the layer.
/// </remarks>
internal sealed class TfJsLayersConverter
{
    private static readonly HashSet<string> Mapped = new(StringComparer.Ordinal)
    {
        "InputLayer", "Conv2D", "DepthwiseConv2D", "BatchNormalization", "ReLU", "Activation", "Add", "ZeroPadding2D",
        "GlobalAveragePooling2D", "AveragePooling2D", "MaxPooling2D", "Dense", "Dropout", "Flatten", "Reshape",
    };

    private readonly TfJsLayersModel _model;
    private readonly TfJsLayersImportOptions _options;
    private readonly OnnxGraphBuilder _graph = new("tfjs_layers");
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<float, string> _scalars = [];
    private TfJsLayer _layer = null!;
    private long[]? _inputShape;

    public TfJsLayersConverter(TfJsLayersModel model, TfJsLayersImportOptions options)
    {
        _model = model;
        _options = options;
    }

    public (byte[] Model, TfJsLayersImportResult Summary) Convert(string onnxPath)
    {
        var layers = _model.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var (output, pooled) = OutputLayer(layers);
        var order = DependencyOrder(layers, output);
        var unknown = order.FirstOrDefault(l => !Mapped.Contains(l.ClassName));
        if (unknown is not null)
        {
            throw new TfJsImportException(
                $"{_model.Source}: {unknown.Description} is a layer class the importer does not map; it maps {string.Join(", ", Mapped.Order(StringComparer.Ordinal))}. Set TfJsLayersImportOptions.OutputLayer to a layer before it, or add the mapping.");
        }

        if (order.Count(l => l.ClassName == "InputLayer") != 1)
        {
            throw new TfJsImportException($"{_model.Source}: layer '{output.Name}' depends on {order.Count(l => l.ClassName == "InputLayer")} input layers; the importer maps models with one.");
        }

        foreach (var layer in order)
        {
            _layer = layer;
            _graph.Scope = "/" + layer.Name;
            _values[layer.Name] = Map();
        }

        _graph.Scope = string.Empty;
        var result = ChannelsLast(_values[output.Name]);
        if (pooled && result.Shape.Length == 4)
        {
            if (result.Shape[1] != 1 || result.Shape[2] != 1)
            {
                throw new TfJsImportException(
                    $"{_model.Source}: {output.Description} pools to {result.Shape[1]} × {result.Shape[2]}, not one vector per image; set TfJsLayersImportOptions.OutputLayer to the layer to take features from.");
            }

            _graph.Scope = "/" + output.Name;
            result = new Value(_graph.AddNode("Flatten", [result.Name], OnnxAttribute.Int("axis", 1)), [result.Shape[0], result.Shape[3]], false);
            _graph.Scope = string.Empty;
        }

        _graph.AddNode("Identity", _options.OutputName, [result.Name], [_options.OutputName]);
        _graph.AddOutput(_options.OutputName, DataType.Float, Dimensions(result.Shape, _options.OutputName));
        var bytes = _graph.Build();
        return (bytes, new TfJsLayersImportResult(
            onnxPath, _options.InputName, _inputShape!, _options.OutputName, output.Name, result.Shape, order.Count, _graph.NodeCount, _graph.InitializerCount));
    }

    private (TfJsLayer Layer, bool Pooled) OutputLayer(Dictionary<string, TfJsLayer> layers)
    {
        if (_options.OutputLayer is { } named)
        {
            return layers.TryGetValue(named, out var layer)
                ? (layer, false)
                : throw new TfJsImportException($"{_model.Source} has no layer '{named}' to take the output from. Set TfJsLayersImportOptions.OutputLayer to one of its layers, such as '{_model.Layers[^1].Name}'.");
        }

        var pooling = _model.Layers.LastOrDefault(l => l.ClassName is "GlobalAveragePooling2D" or "AveragePooling2D")
            ?? throw new TfJsImportException($"{_model.Source} has no GlobalAveragePooling2D or AveragePooling2D layer to take pooled features from; set TfJsLayersImportOptions.OutputLayer to the layer to take the output from.");
        return (pooling, true);
    }

    private List<TfJsLayer> DependencyOrder(Dictionary<string, TfJsLayer> layers, TfJsLayer output)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal) { output.Name };
        var pending = new Stack<TfJsLayer>([output]);
        while (pending.TryPop(out var layer))
        {
            foreach (var input in layer.Inputs)
            {
                if (!layers.TryGetValue(input, out var source))
                {
                    throw new TfJsImportException($"{_model.Source}: {layer.Description} reads layer '{input}', which the model does not have.");
                }

                if (needed.Add(input))
                {
                    pending.Push(source);
                }
            }
        }

        var order = _model.Layers.Where(l => needed.Contains(l.Name)).ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in order)
        {
            if (layer.Inputs.FirstOrDefault(i => !done.Contains(i)) is { } later)
            {
                throw new TfJsImportException($"{_model.Source}: {layer.Description} reads layer '{later}', which comes after it in the config; Keras writes layers in dependency order.");
            }

            done.Add(layer.Name);
        }

        return order;
    }

    private Value Map() => _layer.ClassName switch
    {
        "InputLayer" => InputLayer(),
        "Conv2D" => Convolution(depthwise: false),
        "DepthwiseConv2D" => Convolution(depthwise: true),
        "BatchNormalization" => BatchNormalization(),
        "ReLU" => Relu(),
        "Activation" => Activation(Input(0)),
        "Add" => Add(),
        "ZeroPadding2D" => ZeroPadding(),
        "GlobalAveragePooling2D" => GlobalAveragePooling(),
        "AveragePooling2D" => Pooling("AveragePool"),
        "MaxPooling2D" => Pooling("MaxPool"),
        "Dense" => Dense(),
        "Dropout" => Input(0),
        "Flatten" => Flatten(),
        "Reshape" => Reshape(),
        _ => throw new InvalidOperationException($"{_layer.ClassName} passed the check for mapped layers without a mapping."),
    };

    private Value InputLayer()
    {
        var shape = (_layer.Option("batch_input_shape") ?? _layer.Option("batch_shape"))?.EnumerateArray()
            .Select(d => d.ValueKind == JsonValueKind.Null ? -1L : d.GetInt64()).ToArray()
            ?? throw Error("has no batch_input_shape");
        var dtype = _layer.String("dtype", "float32");
        if (dtype != "float32")
        {
            throw Error($"takes {dtype}; the importer maps float32 inputs");
        }

        shape[0] = -1;
        _inputShape = shape;
        var input = _graph.AddInput(_options.InputName, DataType.Float, Dimensions(shape, _options.InputName));
        return NchwOf(new Value(input, shape, false));
    }

    private Value Convolution(bool depthwise)
    {
        var x = Image(Input(0));
        var kernel = Weight(depthwise ? "depthwise_kernel" : "kernel", 4);
        var (kh, kw, kin, kout) = (kernel.Shape[0], kernel.Shape[1], kernel.Shape[2], kernel.Shape[3]);
        var channels = x.Shape[3];
        var (sh, sw) = _layer.Pair("strides", 1);
        var (dh, dw) = _layer.Pair("dilation_rate", 1);
        var padding = _layer.String("padding", "valid");
        var k = kernel.Floats!;
        float[] weights;
        long[] dims;
        long outChannels;
        long group;
        if (depthwise)
        {
            // TensorFlow's depthwise output channel c × multiplier + m is ONNX's group c, its m-th filter.
            outChannels = kin * kout;
            group = kin;
            weights = new float[k.Length];
            for (var h = 0; h < kh; h++)
            {
                for (var w = 0; w < kw; w++)
                {
                    for (var c = 0; c < kin; c++)
                    {
                        for (var m = 0; m < kout; m++)
                        {
                            weights[((((c * kout) + m) * kh) + h) * kw + w] = k[(((((h * kw) + w) * kin) + c) * kout) + m];
                        }
                    }
                }
            }

            dims = [outChannels, 1, kh, kw];
        }
        else
        {
            outChannels = kout;
            group = channels > 0 && channels != kin ? channels / kin : 1;
            weights = new float[k.Length];
            for (var h = 0; h < kh; h++)
            {
                for (var w = 0; w < kw; w++)
                {
                    for (var i = 0; i < kin; i++)
                    {
                        for (var o = 0; o < kout; o++)
                        {
                            weights[((((o * kin) + i) * kh) + h) * kw + w] = k[(((((h * kw) + w) * kin) + i) * kout) + o];
                        }
                    }
                }
            }

            dims = [kout, kin, kh, kw];
        }

        if (channels > 0 && channels != kin * (depthwise ? 1 : group))
        {
            throw Error($"has a kernel for {kin} input channels, but its input has {channels}");
        }

        var (top, bottom, height) = Window(x.Shape[1], kh, sh, dh, padding);
        var (left, right, width) = Window(x.Shape[2], kw, sw, dw, padding);
        List<string> inputs = [x.Name, _graph.AddInitializer($"{_layer.Name}/{(depthwise ? "depthwise_kernel" : "kernel")}", weights, dims)];
        if (_layer.Bool("use_bias", true))
        {
            inputs.Add(_graph.AddInitializer($"{_layer.Name}/bias", Vector("bias", outChannels), outChannels));
        }

        var output = _graph.AddNode(
            "Conv",
            inputs,
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", sh, sw),
            OnnxAttribute.Ints("dilations", dh, dw),
            OnnxAttribute.Ints("pads", top, left, bottom, right),
            OnnxAttribute.Int("group", group));
        return Activation(new Value(output, [x.Shape[0], height, width, outChannels], true));
    }

    /// <summary>
    /// TensorFlow's padding along one axis as explicit (before, after) pads and the output size: VALID pads nothing,
    /// SAME pads to ceil(size / stride) outputs with the odd pixel after, as TensorFlow does for stride 2.
    /// </summary>
    private (long Before, long After, long Size) Window(long size, long kernel, long stride, long dilation, string padding)
    {
        var span = ((kernel - 1) * dilation) + 1;
        switch (padding)
        {
            case "valid":
                return (0, 0, size < 0 ? -1 : ((size - span) / stride) + 1);
            case "same":
                if (size < 0)
                {
                    throw Error("has 'same' padding over an axis whose size is not known at import time; give the InputLayer a full batch_input_shape");
                }

                var outputs = (size + stride - 1) / stride;
                var total = Math.Max(((outputs - 1) * stride) + span - size, 0);
                return (total / 2, total - (total / 2), outputs);
            default:
                throw Error($"has padding '{padding}'; 'valid' and 'same' are mapped");
        }
    }

    private Value BatchNormalization()
    {
        var x = Input(0);
        var axis = (int)_layer.Double("axis", -1);
        if (axis != -1 && axis != x.Shape.Length - 1)
        {
            throw Error($"normalises axis {axis}; the importer maps normalisation over the channels (the last axis)");
        }

        if (x.Shape.Length is not (2 or 4))
        {
            throw Error($"has an input of rank {x.Shape.Length}; the importer maps rank 2 and 4");
        }

        var channels = x.Shape[^1] >= 0 ? x.Shape[^1] : throw Error("normalises channels whose number is not known at import time");
        var ones = Enumerable.Repeat(1f, (int)channels).ToArray();
        var scale = _layer.Bool("scale", true) ? Vector("gamma", channels) : ones;
        var shift = _layer.Bool("center", true) ? Vector("beta", channels) : new float[channels];
        string[] inputs =
        [
            x.Name,
            _graph.AddInitializer($"{_layer.Name}/gamma", scale, channels),
            _graph.AddInitializer($"{_layer.Name}/beta", shift, channels),
            _graph.AddInitializer($"{_layer.Name}/moving_mean", Vector("moving_mean", channels), channels),
            _graph.AddInitializer($"{_layer.Name}/moving_variance", Vector("moving_variance", channels), channels),
        ];
        var output = _graph.AddNode("BatchNormalization", inputs, OnnxAttribute.Float("epsilon", (float)_layer.Double("epsilon", 1e-3)));
        return x with { Name = output };
    }

    private Value Relu()
    {
        var x = Input(0);
        if (_layer.Double("negative_slope", 0) != 0 || _layer.Double("threshold", 0) != 0)
        {
            throw Error($"has negative_slope {_layer.Double("negative_slope", 0)} and threshold {_layer.Double("threshold", 0)}; the importer maps ReLU with both 0");
        }

        var output = _layer.Option("max_value") is { ValueKind: JsonValueKind.Number } max
            ? _graph.AddNode("Clip", [x.Name, Scalar(0), Scalar((float)max.GetDouble())])
            : _graph.AddNode("Relu", [x.Name]);
        return x with { Name = output };
    }

    private Value Activation(Value x) => x with { Name = Activate(x, _layer.String("activation", "linear")) };

    private string Activate(Value x, string activation) => activation switch
    {
        "linear" => x.Name,
        "relu" => _graph.AddNode("Relu", [x.Name]),
        "relu6" => _graph.AddNode("Clip", [x.Name, Scalar(0), Scalar(6)]),
        "sigmoid" => _graph.AddNode("Sigmoid", [x.Name]),
        "tanh" => _graph.AddNode("Tanh", [x.Name]),
        "softmax" => _graph.AddNode("Softmax", [x.Name], OnnxAttribute.Int("axis", x.Nchw ? 1 : -1)),
        _ => throw Error($"has activation '{activation}'; linear, relu, relu6, sigmoid, tanh and softmax are mapped"),
    };

    private Value Add()
    {
        var inputs = Enumerable.Range(0, _layer.Inputs.Count).Select(Input).ToList();
        if (inputs.Count < 2)
        {
            throw Error($"adds {inputs.Count} input; Add needs at least two");
        }

        if (inputs.Any(v => v.Nchw))
        {
            inputs = [.. inputs.Select(NchwOf)];
        }

        var sum = inputs[0].Name;
        foreach (var other in inputs.Skip(1))
        {
            sum = _graph.AddNode("Add", [sum, other.Name]);
        }

        return inputs[0] with { Name = sum };
    }

    private Value ZeroPadding()
    {
        var x = Image(Input(0));
        long top, bottom, left, right;
        switch (_layer.Option("padding"))
        {
            case null:
                (top, bottom, left, right) = (1, 1, 1, 1);
                break;
            case { ValueKind: JsonValueKind.Number } all:
                top = bottom = left = right = all.GetInt64();
                break;
            case { ValueKind: JsonValueKind.Array } pair when pair.GetArrayLength() == 2 && pair[0].ValueKind == JsonValueKind.Number:
                (top, bottom, left, right) = (pair[0].GetInt64(), pair[0].GetInt64(), pair[1].GetInt64(), pair[1].GetInt64());
                break;
            case { ValueKind: JsonValueKind.Array } pairs when pairs.GetArrayLength() == 2:
                (top, bottom, left, right) = (pairs[0][0].GetInt64(), pairs[0][1].GetInt64(), pairs[1][0].GetInt64(), pairs[1][1].GetInt64());
                break;
            case var other:
                throw Error($"has padding {other}; expected a number, [rows, columns] or [[top, bottom], [left, right]]");
        }

        var pads = _graph.AddInt64Initializer($"{_layer.Name}/pads", [0, 0, top, left, 0, 0, bottom, right], 8);
        var output = _graph.AddNode("Pad", [x.Name, pads]);
        return new Value(output, [x.Shape[0], Grow(x.Shape[1], top + bottom), Grow(x.Shape[2], left + right), x.Shape[3]], true);
    }

    private Value GlobalAveragePooling()
    {
        var x = Image(Input(0));
        var pooled = _graph.AddNode("GlobalAveragePool", [x.Name]);
        return _layer.Bool("keepdims", false)
            ? new Value(pooled, [x.Shape[0], 1, 1, x.Shape[3]], true)
            : new Value(_graph.AddNode("Flatten", [pooled], OnnxAttribute.Int("axis", 1)), [x.Shape[0], x.Shape[3]], false);
    }

    private Value Pooling(string op)
    {
        var x = Image(Input(0));
        var (ph, pw) = _layer.Pair("pool_size", 2);
        var (sh, sw) = _layer.Option("strides") is { ValueKind: not JsonValueKind.Null } ? _layer.Pair("strides", 1) : (ph, pw);
        var padding = _layer.String("padding", "valid");
        var (top, bottom, height) = Window(x.Shape[1], ph, sh, 1, padding);
        var (left, right, width) = Window(x.Shape[2], pw, sw, 1, padding);
        List<Onnx.Proto.AttributeProto> attributes =
        [
            OnnxAttribute.Ints("kernel_shape", ph, pw),
            OnnxAttribute.Ints("strides", sh, sw),
            OnnxAttribute.Ints("pads", top, left, bottom, right),
        ];
        if (op == "AveragePool")
        {
            // TensorFlow averages over the pixels inside the image only, leaving SAME padding out of the count.
            attributes.Add(OnnxAttribute.Int("count_include_pad", 0));
        }

        return new Value(_graph.AddNode(op, [x.Name], [.. attributes]), [x.Shape[0], height, width, x.Shape[3]], true);
    }

    private Value Dense()
    {
        var x = ChannelsLast(Input(0));
        var kernel = Weight("kernel", 2);
        var units = kernel.Shape[1];
        if (x.Shape[^1] > 0 && x.Shape[^1] != kernel.Shape[0])
        {
            throw Error($"has a kernel for {kernel.Shape[0]} inputs, but its input has {x.Shape[^1]}");
        }

        var output = _graph.AddNode("MatMul", [x.Name, _graph.AddInitializer($"{_layer.Name}/kernel", kernel.Floats!, kernel.Shape)]);
        if (_layer.Bool("use_bias", true))
        {
            output = _graph.AddNode("Add", [output, _graph.AddInitializer($"{_layer.Name}/bias", Vector("bias", units), units)]);
        }

        return Activation(new Value(output, [.. x.Shape[..^1], units], false));
    }

    private Value Flatten()
    {
        var x = ChannelsLast(Input(0));
        if (x.Shape.Length <= 2)
        {
            return x;
        }

        var size = x.Shape[1..].Any(d => d < 0) ? -1 : x.Shape[1..].Aggregate(1L, (a, b) => a * b);
        return new Value(_graph.AddNode("Flatten", [x.Name], OnnxAttribute.Int("axis", 1)), [x.Shape[0], size], false);
    }

    private Value Reshape()
    {
        var x = ChannelsLast(Input(0));
        var target = _layer.Option("target_shape")?.EnumerateArray().Select(d => d.GetInt64()).ToArray()
            ?? throw Error("has no target_shape");
        var known = x.Shape[1..].All(d => d >= 0) ? x.Shape[1..].Aggregate(1L, (a, b) => a * b) : -1;
        var fixedPart = target.Where(d => d >= 0).Aggregate(1L, (a, b) => a * b);
        long[] shape = [x.Shape[0], .. target.Select(d => d >= 0 ? d : known >= 0 && fixedPart > 0 ? known / fixedPart : -1)];

        // 0 keeps the batch dimension as it comes; the target shape covers the rest, as in Keras.
        var dims = _graph.AddInt64Initializer($"{_layer.Name}/shape", [0, .. target], target.Length + 1);
        return new Value(_graph.AddNode("Reshape", [x.Name, dims]), shape, false);
    }

    private Value Input(int index)
    {
        if (index >= _layer.Inputs.Count)
        {
            throw Error($"has {_layer.Inputs.Count} inputs; it needs at least {index + 1}");
        }

        return _values[_layer.Inputs[index]];
    }

    /// <summary>An image value in NCHW for ONNX's convolution and pooling.</summary>
    private Value Image(Value x) =>
        x.Shape.Length == 4 ? NchwOf(x) : throw Error($"has an input of rank {x.Shape.Length} (shape {TfJsShape.Format(x.Shape)}); it needs [batch, height, width, channels]");

    private Value NchwOf(Value x) =>
        x.Nchw || x.Shape.Length != 4 ? x : x with { Name = _graph.AddNode("Transpose", [x.Name], OnnxAttribute.Ints("perm", 0, 3, 1, 2)), Nchw = true };

    private Value ChannelsLast(Value x) =>
        x.Nchw ? x with { Name = _graph.AddNode("Transpose", [x.Name], OnnxAttribute.Ints("perm", 0, 2, 3, 1)), Nchw = false } : x;

    private TfJsTensor Weight(string name, int rank)
    {
        var key = $"{_layer.Name}/{name}";
        var weight = _model.Weights.GetValueOrDefault(key)
            ?? throw Error($"needs weight '{key}', which the weights manifest does not list");
        if (weight.Shape.Length != rank || weight.Floats is null)
        {
            throw Error($"has weight '{key}' of shape {TfJsShape.Format(weight.Shape)} and type {weight.Type.Name()}; it needs float32 of rank {rank}");
        }

        return weight;
    }

    /// <summary>A per-channel weight (bias, scale, statistics), which must have one value per channel.</summary>
    private float[] Vector(string name, long length)
    {
        var weight = Weight(name, 1);
        return weight.Shape[0] == length || length < 0
            ? weight.Floats!
            : throw Error($"has weight '{_layer.Name}/{name}' of {weight.Shape[0]} values; it needs one for each of its {length} channels");
    }

    private string Scalar(float value)
    {
        if (!_scalars.TryGetValue(value, out var name))
        {
            name = _graph.AddInitializer($"scalar_{_scalars.Count}", [value]);
            _scalars[value] = name;
        }

        return name;
    }

    private static long Grow(long size, long by) => size < 0 ? -1 : size + by;

    private static OnnxDimension[] Dimensions(long[] shape, string name) =>
        [.. shape.Select((d, i) => d >= 0 ? OnnxDimension.Fixed(d) : i == 0 ? OnnxDimension.Named("batch") : OnnxDimension.Named($"{name}_dim{i}"))];

    private TfJsImportException Error(string what) => new($"{_model.Source}: {_layer.Description} {what}.");

    /// <summary>
    /// A layer's output in the graph: its shape as Keras sees it (channels last, -1 where unknown) and whether the
    /// ONNX value holds it transposed to NCHW.
    /// </summary>
    private sealed record Value(string Name, long[] Shape, bool Nchw);
}
