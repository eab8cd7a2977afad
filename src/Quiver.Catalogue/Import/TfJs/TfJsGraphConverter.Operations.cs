using Quiver.Catalogue.Import.Onnx;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>The table of TensorFlow ops the importer maps, and the element-wise and shape ops.</summary>
internal sealed partial class TfJsGraphConverter
{
    /// <summary>Ops whose ONNX counterpart has the same semantics, input for input.</summary>
    private static readonly (string Tf, string Onnx)[] UnaryOps =
    [
        ("Abs", "Abs"), ("Ceil", "Ceil"), ("Cos", "Cos"), ("Exp", "Exp"), ("Floor", "Floor"), ("Log", "Log"),
        ("LogicalNot", "Not"), ("Neg", "Neg"), ("Reciprocal", "Reciprocal"), ("Relu", "Relu"), ("Sigmoid", "Sigmoid"),
        ("Sin", "Sin"), ("Sqrt", "Sqrt"), ("Tanh", "Tanh"),
    ];

    /// <summary>Broadcasting binary ops (TensorFlow's broadcasting is NumPy's, as ONNX's is).</summary>
    private static readonly (string Tf, string Onnx, bool Compares)[] BinaryOps =
    [
        ("Add", "Add", false), ("AddV2", "Add", false), ("Sub", "Sub", false), ("Mul", "Mul", false),
        ("RealDiv", "Div", false), ("Maximum", "Max", false), ("Minimum", "Min", false), ("Pow", "Pow", false),
        ("Less", "Less", true), ("LessEqual", "LessOrEqual", true), ("Greater", "Greater", true),
        ("GreaterEqual", "GreaterOrEqual", true), ("Equal", "Equal", true),
        ("LogicalAnd", "And", true), ("LogicalOr", "Or", true),
    ];

    private static readonly Dictionary<string, Func<TfJsGraphConverter, TfJsValue[]>> Operations = BuildOperations();

    private static Dictionary<string, Func<TfJsGraphConverter, TfJsValue[]>> BuildOperations()
    {
        var operations = new Dictionary<string, Func<TfJsGraphConverter, TfJsValue[]>>(StringComparer.Ordinal)
        {
            ["Identity"] = c => [c.Input(0)],
            ["Square"] = c => [c.Square()],
            ["Rsqrt"] = c => [c.Rsqrt()],
            ["Softmax"] = c => [c.Softmax("Softmax")],
            ["LogSoftmax"] = c => [c.Softmax("LogSoftmax")],
            ["Cast"] = c => [c.Cast()],
            ["Shape"] = c => [c.Shape()],
            ["Reshape"] = c => [c.Reshape()],
            ["ExpandDims"] = c => [c.ExpandDims()],
            ["Squeeze"] = c => [c.Squeeze()],
            ["Pack"] = c => [c.Pack()],
            ["ConcatV2"] = c => [c.ConcatV2()],
            ["Transpose"] = c => [c.Transpose()],
            ["Range"] = c => [c.Range()],
            ["Where"] = c => [c.Where()],
            ["StridedSlice"] = c => [c.StridedSlice()],
            ["Slice"] = c => [c.Slice()],
            ["GatherV2"] = c => [c.GatherV2()],
            ["GatherNd"] = c => [c.GatherNd()],
            ["ScatterNd"] = c => [c.ScatterNd()],
            ["SparseToDense"] = c => [c.SparseToDense()],
            ["SplitV"] = c => c.SplitV(),
            ["MatMul"] = c => [c.MatMul()],
            ["BatchMatMul"] = c => [c.BatchMatMul()],
            ["BatchMatMulV2"] = c => [c.BatchMatMul()],
            ["BiasAdd"] = c => [c.BiasAdd()],
            ["Conv2D"] = c => [c.Conv2D()],
            ["Mean"] = c => [c.Reduce("ReduceMean")],
            ["Sum"] = c => [c.Reduce("ReduceSum")],
            ["Prod"] = c => [c.Reduce("ReduceProd")],
            ["Max"] = c => [c.Reduce("ReduceMax")],
            ["Min"] = c => [c.Reduce("ReduceMin")],
        };
        foreach (var (tf, onnx) in UnaryOps)
        {
            operations[tf] = c => [c.Unary(onnx)];
        }

        foreach (var (tf, onnx, compares) in BinaryOps)
        {
            operations[tf] = c => [c.Binary(onnx, compares)];
        }

        return operations;
    }

    private TfJsValue Unary(string op)
    {
        var x = Input(0);
        return TfJsValue.Of(Node(op, [Name(x)]), x.Type, x.Shape);
    }

    private TfJsValue Binary(string op, bool compares)
    {
        var (a, b) = (Input(0), Input(1));
        return TfJsValue.Of(Node(op, [Name(a), Name(b)]), compares ? TfDataType.Bool : a.Type, Broadcast(a.Shape, b.Shape));
    }

    private TfJsValue Square()
    {
        var x = Input(0);
        return TfJsValue.Of(Node("Mul", [Name(x), Name(x)]), x.Type, x.Shape);
    }

    // ONNX has no reciprocal square root; 1 / sqrt(x) is what TensorFlow.js's CPU kernel computes.
    private TfJsValue Rsqrt()
    {
        var x = Input(0);
        return TfJsValue.Of(Node("Reciprocal", [Node("Sqrt", [Name(x)])]), x.Type, x.Shape);
    }

    // TensorFlow's Softmax normalises over the last axis; ONNX's (opset 13 on) over the axis it is given.
    private TfJsValue Softmax(string op)
    {
        var x = Input(0);
        return TfJsValue.Of(Node(op, [Name(x)], OnnxAttribute.Int("axis", -1)), x.Type, x.Shape);
    }

    private TfJsValue Cast()
    {
        var x = Input(0);
        var to = _node.Type("DstT") ?? throw Error("has no DstT attribute");
        return to == x.Type ? x : TfJsValue.Of(CastTo(Name(x), x.Type, to), to, x.Shape);
    }

    // ONNX's Shape is always int64; TensorFlow's is out_type, int32 unless the graph says otherwise.
    private TfJsValue Shape()
    {
        var x = Input(0);
        var type = _node.Type("out_type") ?? TfDataType.Int32;
        return TfJsValue.Of(CastTo(Node("Shape", [Name(x)]), TfDataType.Int64, type), type, [x.Rank ?? -1]);
    }

    // allowzero = 1: a 0 in a TensorFlow shape is a dimension of size 0, where ONNX would otherwise copy the input's.
    private TfJsValue Reshape()
    {
        var (x, shape) = (Input(0), Input(1));
        long[]? result = null;
        if (shape.Constant?.Integers is { } dims)
        {
            result = [.. dims];
            var unknown = Array.IndexOf(result, -1L);
            if (unknown >= 0 && x.Shape is { } input && input.All(d => d >= 0))
            {
                var known = result.Where(d => d != -1).Aggregate(1L, (p, d) => p * d);
                result[unknown] = known == 0 ? 0 : input.Aggregate(1L, (p, d) => p * d) / known;
            }
        }
        else if (shape.Shape is [var length] && length >= 0)
        {
            result = [.. Enumerable.Repeat(-1L, (int)length)];
        }

        return TfJsValue.Of(Node("Reshape", [Name(x), Int64Input(1)], OnnxAttribute.Int("allowzero", 1)), x.Type, result);
    }

    private TfJsValue ExpandDims()
    {
        var x = Input(0);
        var axis = ConstantInts(1, "axis") is [var single] ? single : throw Error("needs a single axis");
        long[]? shape = null;
        if (x.Shape is { } input)
        {
            var at = (int)NormalizeAxis(axis, input.Length + 1);
            shape = [.. input[..at], 1, .. input[at..]];
        }

        return TfJsValue.Of(Node("Unsqueeze", [Name(x), Int64s(axis)]), x.Type, shape);
    }

    // An empty squeeze_dims squeezes every dimension of size 1, in TensorFlow and in ONNX.
    private TfJsValue Squeeze()
    {
        var x = Input(0);
        var dims = _node.Ints("squeeze_dims");
        long[]? shape = null;
        if (x.Shape is { } input)
        {
            if (dims.Length > 0)
            {
                var removed = dims.Select(d => NormalizeAxis(d, input.Length)).ToHashSet();
                shape = [.. input.Where((_, i) => !removed.Contains(i))];
            }
            else if (input.All(d => d >= 0))
            {
                shape = [.. input.Where(d => d != 1)];
            }
        }

        var output = dims.Length > 0 ? Node("Squeeze", [Name(x), Int64s(dims)]) : Node("Squeeze", [Name(x)]);
        return TfJsValue.Of(output, x.Type, shape);
    }

    private TfJsValue Pack()
    {
        var first = Input(0);
        var axis = _node.Int("axis", 0);
        var axes = Int64s(axis);
        var parts = Enumerable.Range(0, _node.Inputs.Count).Select(i => Node("Unsqueeze", [In(i), axes])).ToArray();
        var output = parts.Length == 1 ? parts[0] : Node("Concat", parts, OnnxAttribute.Int("axis", axis));
        long[]? shape = null;
        if (first.Shape is { } input)
        {
            var at = (int)NormalizeAxis(axis, input.Length + 1);
            shape = [.. input[..at], parts.Length, .. input[at..]];
        }

        return TfJsValue.Of(output, first.Type, shape);
    }

    // The axis comes last, after the N values.
    private TfJsValue ConcatV2()
    {
        var count = _node.Inputs.Count - 1;
        var axis = ConstantInts(count, "axis") is [var single] ? single : throw Error("needs a single axis");
        var values = Enumerable.Range(0, count).Select(Input).ToArray();
        long[]? shape = null;
        if (values[0].Shape is { } first)
        {
            var at = (int)NormalizeAxis(axis, first.Length);
            shape = [.. first];
            shape[at] = values.All(v => v.Shape is { } s && s.Length == first.Length && s[at] >= 0) ? values.Sum(v => v.Shape![at]) : -1;
        }

        return TfJsValue.Of(Node("Concat", [.. values.Select(Name)], OnnxAttribute.Int("axis", axis)), values[0].Type, shape);
    }

    private TfJsValue Transpose()
    {
        var x = Input(0);
        var perm = ConstantInts(1, "permutation");
        long[]? shape = x.Shape is { } input ? [.. perm.Select(p => input[p])] : [.. perm.Select(_ => -1L)];
        return TfJsValue.Of(Node("Transpose", [Name(x)], OnnxAttribute.Ints("perm", perm)), x.Type, shape);
    }

    // Both count the values start, start + delta, ... below limit, max(ceil((limit - start) / delta), 0) of them.
    private TfJsValue Range()
    {
        var start = Input(0);
        return TfJsValue.Of(Node("Range", [Name(start), In(1), In(2)]), start.Type, [-1]);
    }

    // Where with one input is the coordinates of its true (non-zero) elements in row-major order, as NonZero's
    // columns are: [n, rank] int64 in TensorFlow, [rank, n] in ONNX.
    private TfJsValue Where()
    {
        if (_node.Inputs.Count != 1)
        {
            throw Error($"has {_node.Inputs.Count} inputs; only the one-input Where (coordinates of true elements) is mapped");
        }

        var x = Input(0);
        var coordinates = Node("Transpose", [Node("NonZero", [Name(x)])], OnnxAttribute.Ints("perm", 1, 0));
        return TfJsValue.Of(coordinates, TfDataType.Int64, [-1, x.Rank ?? -1]);
    }

    private static long[]? Broadcast(long[]? a, long[]? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        var rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var x = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var y = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            result[i] = x == 1 ? y : y == 1 ? x : x >= 0 ? x : y;
        }

        return result;
    }
}
