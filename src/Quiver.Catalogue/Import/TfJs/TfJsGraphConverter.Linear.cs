using Quiver.Catalogue.Import.Onnx;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>Matrix products, convolution, bias and reductions.</summary>
internal sealed partial class TfJsGraphConverter
{
    private TfJsValue MatMul()
    {
        var (a, b) = (Input(0), Input(1));
        var left = _node.Bool("transpose_a", false) ? Node("Transpose", [Name(a)], OnnxAttribute.Ints("perm", 1, 0)) : Name(a);
        var right = _node.Bool("transpose_b", false) ? Node("Transpose", [Name(b)], OnnxAttribute.Ints("perm", 1, 0)) : Name(b);
        var rows = a.Shape is [var a0, var a1] ? (_node.Bool("transpose_a", false) ? a1 : a0) : -1;
        var columns = b.Shape is [var b0, var b1] ? (_node.Bool("transpose_b", false) ? b0 : b1) : -1;
        return TfJsValue.Of(Node("MatMul", [left, right]), a.Type, [rows, columns]);
    }

    /// <summary>
    /// BatchMatMul(V2): a product of the last two dimensions, batch dimensions broadcast as NumPy's matmul (ONNX
    /// MatMul) does; adj_x and adj_y transpose those two dimensions of the real inputs first.
    /// </summary>
    private TfJsValue BatchMatMul()
    {
        var (a, b) = (Input(0), Input(1));
        var (left, leftShape) = Adjoint(a, _node.Bool("adj_x", false), "x");
        var (right, rightShape) = Adjoint(b, _node.Bool("adj_y", false), "y");
        long[]? shape = null;
        if (leftShape is { Length: >= 2 } l && rightShape is { Length: >= 2 } r)
        {
            shape = [.. Broadcast(l[..^2], r[..^2])!, l[^2], r[^1]];
        }

        return TfJsValue.Of(Node("MatMul", [left, right]), a.Type, shape);
    }

    private (string Name, long[]? Shape) Adjoint(TfJsValue value, bool adjoint, string role)
    {
        if (!adjoint)
        {
            return (Name(value), value.Shape);
        }

        var rank = RequireRank(value, $"{role} (for adj_{role})");
        var perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        (perm[^1], perm[^2]) = (perm[^2], perm[^1]);
        long[]? shape = value.Shape is { } s ? [.. perm.Select(p => s[p])] : null;
        return (Node("Transpose", [Name(value)], OnnxAttribute.Ints("perm", perm)), shape);
    }

    /// <summary>BiasAdd adds a [C] bias on the channel axis: the last for NHWC (plain broadcasting), axis 1 for NCHW.</summary>
    private TfJsValue BiasAdd()
    {
        var (x, bias) = (Input(0), Input(1));
        var format = _node.String("data_format", "NHWC");
        var b = Name(bias);
        if (format == "NCHW")
        {
            var rank = RequireRank(x, "input (for NCHW)");
            if (rank > 2)
            {
                b = Node("Unsqueeze", [b, Int64s([.. Enumerable.Range(1, rank - 2).Select(i => (long)i)])]);
            }
        }
        else if (format != "NHWC")
        {
            throw Error($"has data_format '{format}'; NHWC and NCHW are mapped");
        }

        return TfJsValue.Of(Node("Add", [Name(x), b]), x.Type, x.Shape);
    }

    /// <summary>
    /// Conv2D with an HWIO filter. ONNX convolves NCHW inputs with OIHW weights, so an NHWC input is transposed in
    /// and the result back out, and the filter is transposed to OIHW (a constant one folds when ONNX Runtime loads
    /// the model). TensorFlow's SAME padding puts the odd pixel after, which is ONNX's SAME_UPPER; EXPLICIT padding
    /// lists (before, after) per NHWC or NCHW dimension. A filter with fewer input channels than the input is a
    /// grouped convolution.
    /// </summary>
    private TfJsValue Conv2D()
    {
        var (x, filter) = (Input(0), Input(1));
        var format = _node.String("data_format", "NHWC");
        if (format is not ("NHWC" or "NCHW"))
        {
            throw Error($"has data_format '{format}'; NHWC and NCHW are mapped");
        }

        var (h, w) = format == "NHWC" ? (1, 2) : (2, 3);
        var channel = format == "NHWC" ? 3 : 1;
        var strides = FourInts("strides", [1, 1, 1, 1]);
        var dilations = FourInts("dilations", [1, 1, 1, 1]);
        var padding = _node.String("padding", string.Empty);
        List<Onnx.Proto.AttributeProto> attributes =
        [
            OnnxAttribute.Ints("strides", strides[h], strides[w]),
            OnnxAttribute.Ints("dilations", dilations[h], dilations[w]),
        ];
        switch (padding)
        {
            case "VALID":
                break;
            case "SAME":
                attributes.Add(OnnxAttribute.String("auto_pad", "SAME_UPPER"));
                break;
            case "EXPLICIT":
                var pads = _node.Ints("explicit_paddings");
                if (pads.Length != 8)
                {
                    throw Error($"has {pads.Length} explicit_paddings; EXPLICIT padding needs 8 (before and after for each of 4 dimensions)");
                }

                attributes.Add(OnnxAttribute.Ints("pads", pads[2 * h], pads[2 * w], pads[(2 * h) + 1], pads[(2 * w) + 1]));
                break;
            default:
                throw Error($"has padding '{padding}'; SAME, VALID and EXPLICIT are mapped");
        }

        if (x.Shape is { Length: 4 } xs && xs[channel] > 0 && filter.Shape is { Length: 4 } fs && fs[2] > 0 && xs[channel] != fs[2])
        {
            attributes.Add(OnnxAttribute.Int("group", xs[channel] / fs[2]));
        }

        var input = format == "NHWC" ? Node("Transpose", [Name(x)], OnnxAttribute.Ints("perm", 0, 3, 1, 2)) : Name(x);
        var weights = Node("Transpose", [Name(filter)], OnnxAttribute.Ints("perm", 3, 2, 0, 1));
        var output = Node("Conv", [input, weights], [.. attributes]);
        var outChannels = filter.Shape is { Length: 4 } f ? f[3] : -1;
        var batch = x.Shape is { Length: 4 } s ? s[0] : -1;
        if (format == "NHWC")
        {
            return TfJsValue.Of(Node("Transpose", [output], OnnxAttribute.Ints("perm", 0, 2, 3, 1)), x.Type, [batch, -1, -1, outChannels]);
        }

        return TfJsValue.Of(output, x.Type, [batch, outChannels, -1, -1]);
    }

    private long[] FourInts(string attribute, long[] fallback)
    {
        var values = _node.Has(attribute) ? _node.Ints(attribute) : fallback;
        return values.Length == 4 ? values : throw Error($"has {attribute} [{string.Join(", ", values)}]; it needs 4 values");
    }

    /// <summary>
    /// Mean, Sum, Prod, Max and Min over constant axes (input 1, a scalar or a list), keep_dims as ONNX's keepdims.
    /// At opset 17 ReduceSum takes its axes as an input and the others as an attribute. TensorFlow reduces nothing
    /// over an empty axes list, where ONNX would reduce everything, so that is the input unchanged.
    /// </summary>
    private TfJsValue Reduce(string op)
    {
        var x = Input(0);
        var axes = ConstantInts(1, "axes");
        var keep = _node.Bool("keep_dims", false);
        if (axes.Length == 0)
        {
            return x;
        }

        long[]? shape = null;
        if (x.Shape is { } input)
        {
            var reduced = axes.Select(a => NormalizeAxis(a, input.Length)).ToHashSet();
            shape = keep
                ? [.. input.Select((d, i) => reduced.Contains(i) ? 1 : d)]
                : [.. input.Where((_, i) => !reduced.Contains(i))];
        }

        var keepDims = OnnxAttribute.Int("keepdims", keep ? 1 : 0);
        var output = op == "ReduceSum"
            ? Node(op, [Name(x), Int64s(axes)], keepDims)
            : Node(op, [Name(x)], keepDims, OnnxAttribute.Ints("axes", axes));
        return TfJsValue.Of(output, x.Type, shape);
    }
}
