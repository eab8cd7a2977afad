using Quiver.Catalogue.Import.Onnx;
using Quiver.Catalogue.Import.Onnx.Proto;
using Google.Protobuf;
using static Quiver.Catalogue.Import.Onnx.Proto.TensorProto.Types;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>Slicing, gathering, scattering and splitting.</summary>
internal sealed partial class TfJsGraphConverter
{
    /// <summary>
    /// TensorFlow's StridedSlice as ONNX Slice, then Squeeze for shrink_axis_mask and Unsqueeze for new_axis_mask.
    /// Each bit i of a mask refers to entry i of begin/end/strides. An ellipsis entry stands for as many full
    /// dimensions as the entries that index a dimension (all but new axes and the ellipsis) leave over; without
    /// one, the dimensions after the last entry are kept whole. A masked begin or end runs to the end of the
    /// dimension in the stride's direction (ONNX clamps int64 max and min to it); a shrunk entry takes the one
    /// element at begin (0 when begin is masked) and drops the dimension; a new axis entry inserts a dimension of 1
    /// and indexes nothing, and wins over a shrink bit on the same entry, as the ellipsis wins over both.
    /// </summary>
    private TfJsValue StridedSlice()
    {
        var x = Input(0);
        var begin = ConstantInts(1, "begin");
        var end = ConstantInts(2, "end");
        var strides = ConstantInts(3, "strides");
        if (begin.Length != end.Length || begin.Length != strides.Length)
        {
            throw Error($"has begin, end and strides of lengths {begin.Length}, {end.Length} and {strides.Length}; they must agree");
        }

        var beginMask = _node.Int("begin_mask", 0);
        var endMask = _node.Int("end_mask", 0);
        var ellipsisMask = _node.Int("ellipsis_mask", 0);
        var newAxisMask = _node.Int("new_axis_mask", 0);
        var shrinkMask = _node.Int("shrink_axis_mask", 0);
        bool Bit(long mask, int i) => (mask & (1L << i)) != 0;
        if (long.PopCount(ellipsisMask) > 1)
        {
            throw Error($"has ellipsis_mask {ellipsisMask}; TensorFlow allows one ellipsis");
        }

        List<long> starts = [], ends = [], axes = [], steps = [], shrunk = [], newAxes = [];
        List<long>? shape = x.Shape is null ? null : [];
        var inputDim = 0;
        var outputDim = 0;
        for (var i = 0; i < begin.Length; i++)
        {
            if (Bit(ellipsisMask, i))
            {
                var indexing = Enumerable.Range(0, begin.Length).Count(j => !Bit(ellipsisMask, j) && !Bit(newAxisMask, j));
                var covered = RequireRank(x, "input (for the ellipsis)") - indexing;
                shape?.AddRange(x.Shape![inputDim..(inputDim + covered)]);
                inputDim += covered;
                outputDim += covered;
            }
            else if (Bit(newAxisMask, i))
            {
                newAxes.Add(outputDim++);
                shape?.Add(1);
            }
            else if (Bit(shrinkMask, i))
            {
                if (strides[i] <= 0)
                {
                    throw Error($"shrinks entry {i} with stride {strides[i]}; TensorFlow allows only a positive stride there");
                }

                var at = Bit(beginMask, i) ? 0 : begin[i];
                starts.Add(at);
                ends.Add(at == -1 ? long.MaxValue : at + 1);
                axes.Add(inputDim);
                steps.Add(1);
                shrunk.Add(inputDim++);
            }
            else
            {
                var step = strides[i] != 0 ? strides[i] : throw Error($"has stride 0 in entry {i}");
                var start = Bit(beginMask, i) ? (step > 0 ? 0 : long.MaxValue) : begin[i];
                var stop = Bit(endMask, i) ? (step > 0 ? long.MaxValue : long.MinValue) : end[i];
                starts.Add(start);
                ends.Add(stop);
                axes.Add(inputDim);
                steps.Add(step);
                if (shape is not null)
                {
                    shape.Add(inputDim < x.Shape!.Length ? SliceLength(x.Shape[inputDim], start, stop, step) : -1);
                }

                inputDim++;
                outputDim++;
            }
        }

        if (shape is not null && x.Shape is { } input)
        {
            shape.AddRange(input[Math.Min(inputDim, input.Length)..]);
        }

        var output = Name(x);
        if (axes.Count > 0)
        {
            output = Node("Slice", [output, Int64s([.. starts]), Int64s([.. ends]), Int64s([.. axes]), Int64s([.. steps])]);
        }

        if (shrunk.Count > 0)
        {
            output = Node("Squeeze", [output, Int64s([.. shrunk])]);
        }

        if (newAxes.Count > 0)
        {
            output = Node("Unsqueeze", [output, Int64s([.. newAxes])]);
        }

        return TfJsValue.Of(output, x.Type, shape?.ToArray());
    }

    /// <summary>TensorFlow's Slice(input, begin, size): size -1 runs to the end of the dimension.</summary>
    private TfJsValue Slice()
    {
        var x = Input(0);
        var begin = ConstantInts(1, "begin");
        var size = ConstantInts(2, "size");
        if (begin.Length != size.Length)
        {
            throw Error($"has begin of length {begin.Length} and size of length {size.Length}; they must agree");
        }

        var ends = begin.Zip(size, (b, s) => s == -1 ? long.MaxValue : b + s).ToArray();
        var axes = Enumerable.Range(0, begin.Length).Select(i => (long)i).ToArray();
        var shape = size.Select((s, i) => s >= 0 ? s : x.Shape is { } input && input[i] >= 0 ? input[i] - begin[i] : -1).ToArray();
        return TfJsValue.Of(Node("Slice", [Name(x), Int64s(begin), Int64s(ends), Int64s(axes)]), x.Type, shape);
    }

    /// <summary>
    /// GatherV2(params, indices, axis) with batch_dims 0 is ONNX Gather. With batch_dims b (TensorFlow requires
    /// axis ≥ b), the case axis = b, where every batch picks its own elements, is GatherND with batch_dims b over
    /// the indices with a trailing axis of 1; other axes would need transposes and stop the import.
    /// </summary>
    private TfJsValue GatherV2()
    {
        var (data, indices) = (Input(0), Input(1));
        var axis = _node.Inputs.Count > 2 ? (ConstantInts(2, "axis") is [var a] ? a : throw Error("needs a single axis")) : 0;
        var batchDims = _node.Int("batch_dims", 0);
        long[]? shape = null;
        if (data.Shape is { } p && indices.Shape is { } q)
        {
            var at = (int)NormalizeAxis(axis, p.Length);
            var b = (int)NormalizeAxis(batchDims, q.Length);
            shape = [.. p[..at], .. q[b..], .. p[(at + 1)..]];
        }

        if (batchDims == 0)
        {
            return TfJsValue.Of(Node("Gather", [Name(data), Name(indices)], OnnxAttribute.Int("axis", axis)), data.Type, shape);
        }

        var batch = NormalizeAxis(batchDims, RequireRank(indices, "indices (for batch_dims)"));
        if (NormalizeAxis(axis, RequireRank(data, "params (for batch_dims)")) != batch)
        {
            throw Error($"gathers on axis {axis} with batch_dims {batchDims}; only axis = batch_dims is mapped");
        }

        var columns = Node("Unsqueeze", [Int64Input(1), Int64s(-1)]);
        return TfJsValue.Of(Node("GatherND", [Name(data), columns], OnnxAttribute.Int("batch_dims", batch)), data.Type, shape);
    }

    /// <summary>GatherNd is ONNX GatherND with batch_dims 0; ONNX wants the indices as int64.</summary>
    private TfJsValue GatherNd()
    {
        var (data, indices) = (Input(0), Input(1));
        long[]? shape = null;
        if (data.Shape is { } p && indices.Shape is [.. var outer, var depth] && depth >= 0)
        {
            shape = [.. outer, .. p[(int)depth..]];
        }

        return TfJsValue.Of(Node("GatherND", [Name(data), Int64Input(1)]), data.Type, shape);
    }

    /// <summary>
    /// ScatterNd(indices, updates, shape) writes updates into zeros of the given shape and adds the updates that
    /// land on the same element: ONNX ScatterND with reduction "add" (opset 16 on) onto ConstantOfShape zeros.
    /// </summary>
    private TfJsValue ScatterNd()
    {
        var updates = Input(1);
        var zeros = Node("ConstantOfShape", [Int64Input(2)], OnnxAttribute.Tensor("value", Scalar(updates.Type, 0)));
        var output = Node("ScatterND", [zeros, Int64Input(0), Name(updates)], OnnxAttribute.String("reduction", "add"));
        return TfJsValue.Of(output, updates.Type, ShapeFromTensor(Input(2)));
    }

    /// <summary>
    /// SparseToDense(indices, output_shape, values, default): the default value everywhere (Expand), then
    /// ScatterND of the values. Indices are [n, rank], or [n] / a scalar for a 1-D output; a scalar value is used for
    /// every index. TensorFlow refuses repeated indices when validate_indices is set and leaves them unspecified
    /// otherwise, so ScatterND's plain assignment agrees with it wherever TensorFlow defines a result.
    /// </summary>
    private TfJsValue SparseToDense()
    {
        var (indices, values) = (Input(0), Input(2));
        var rows = RequireRank(indices, "indices") switch
        {
            2 => Int64Input(0),
            1 => Node("Unsqueeze", [Int64Input(0), Int64s(-1)]),
            0 => Node("Reshape", [Int64Input(0), Int64s(1, 1)]),
            var rank => throw Error($"has indices of rank {rank}; SparseToDense takes rank 0, 1 or 2"),
        };
        var updates = Name(values);
        if (RequireRank(values, "values") == 0)
        {
            var count = Node("Slice", [Node("Shape", [rows]), Int64s(0), Int64s(1)]);
            updates = Node("Expand", [updates, count]);
        }

        var dense = Node("Expand", [In(3), Int64Input(1)]);
        return TfJsValue.Of(Node("ScatterND", [dense, rows, updates]), values.Type, ShapeFromTensor(Input(1)));
    }

    /// <summary>
    /// SplitV(value, size_splits, axis) into num_split outputs. A -1 size takes what the others leave of the
    /// dimension, computed in the graph from the input's shape when the import does not know it.
    /// </summary>
    private TfJsValue[] SplitV()
    {
        var x = Input(0);
        var sizes = ConstantInts(1, "size_splits");
        var axis = ConstantInts(2, "axis") is [var a] ? a : throw Error("needs a single axis");
        var count = (int)_node.Int("num_split", sizes.Length);
        if (count != sizes.Length || sizes.Count(s => s == -1) > 1)
        {
            throw Error($"has num_split {count} and size_splits [{string.Join(", ", sizes)}]; they must agree, with at most one -1");
        }

        string split;
        var inferred = Array.IndexOf(sizes, -1L);
        if (inferred < 0)
        {
            split = Int64s(sizes);
        }
        else
        {
            var dimension = Node("Gather", [Node("Shape", [Name(x)]), Int64s(NormalizeAxis(axis, RequireRank(x, "input")))]);
            var rest = Node("Sub", [dimension, Int64s(sizes.Where(s => s != -1).Sum())]);
            List<string> parts = [];
            if (inferred > 0)
            {
                parts.Add(Int64s(sizes[..inferred]));
            }

            parts.Add(rest);
            if (inferred < sizes.Length - 1)
            {
                parts.Add(Int64s(sizes[(inferred + 1)..]));
            }

            split = parts.Count == 1 ? rest : Node("Concat", parts, OnnxAttribute.Int("axis", 0));
        }

        var outputs = _graph.AddNode("Split", [Name(x), split], count, OnnxAttribute.Int("axis", axis));
        return [.. outputs.Select((name, i) =>
        {
            long[]? shape = null;
            if (x.Shape is { } input)
            {
                shape = [.. input];
                shape[NormalizeAxis(axis, input.Length)] = sizes[i];
            }

            return TfJsValue.Of(name, x.Type, shape);
        })];
    }

    /// <summary>The shape a 1-D shape tensor describes: its values when constant, else its length in unknowns.</summary>
    private static long[]? ShapeFromTensor(TfJsValue shape) =>
        shape.Constant?.Integers is { } dims ? [.. dims]
        : shape.Shape is [var length] && length >= 0 ? [.. Enumerable.Repeat(-1L, (int)length)]
        : null;

    private static TensorProto Scalar(TfDataType type, long value)
    {
        var tensor = new TensorProto { DataType = (int)type.ToOnnx() };
        tensor.Dims.Add(1);
        switch (type)
        {
            case TfDataType.Float:
                tensor.FloatData.Add(value);
                break;
            case TfDataType.Int64:
                tensor.Int64Data.Add(value);
                break;
            case TfDataType.Int32 or TfDataType.Bool:
                tensor.Int32Data.Add((int)value);
                break;
            default:
                throw new TfJsImportException($"Scattering {type.Name()} values is not supported.");
        }

        return tensor;
    }

    private static long SliceLength(long dim, long start, long end, long step)
    {
        if (dim < 0)
        {
            return -1;
        }

        start = start < 0 ? start + dim : start;
        end = end < 0 ? end + dim : end;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            return end <= start ? 0 : ((end - start) + step - 1) / step;
        }

        start = Math.Clamp(start, -1, dim - 1);
        end = Math.Clamp(end, -1, dim - 1);
        return start <= end ? 0 : ((start - end) + (-step) - 1) / -step;
    }
}
