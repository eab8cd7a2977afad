using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime.Tensors;
using Quiver.Catalogue.Import.TfJs;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// Small TensorFlow.js graphs, one op family at a time, imported and run in ONNX Runtime against values worked out
/// by hand from TensorFlow's documented semantics.
/// </summary>
public sealed class TfJsImporterTests
{
    // x[i, j, k] = 12i + 4j + k, shape [2, 3, 4].
    private static readonly float[] Cube = [.. Enumerable.Range(0, 24).Select(v => (float)v)];

    public static TheoryData<long[], long[], long[], int, int, int, int, int, long[], double[]> StridedSlices => new()
    {
        // x[:, 1:, ::2]
        { [0, 1, 0], [0, 0, 0], [1, 1, 2], 0b101, 0b111, 0, 0, 0, [2, 2, 2], [4, 6, 8, 10, 16, 18, 20, 22] },
        // x[1, :, -1]
        { [1, 0, -1], [2, 0, 0], [1, 1, 1], 0b010, 0b010, 0, 0, 0b101, [3], [15, 19, 23] },
        // x[..., tf.newaxis, 1]
        { [0, 0, 1], [0, 0, 2], [1, 1, 1], 0, 0, 0b001, 0b010, 0b100, [2, 3, 1], [1, 5, 9, 13, 17, 21] },
        // x[:, ::-1, 1:3]
        { [0, 0, 1], [0, 0, 3], [1, -1, 1], 0b011, 0b011, 0, 0, 0, [2, 3, 2], [9, 10, 5, 6, 1, 2, 21, 22, 17, 18, 13, 14] },
        // x[-1]: the dimensions after the last entry are kept whole.
        { [-1], [0], [1], 0, 0, 0, 0, 0b1, [3, 4], [.. Enumerable.Range(12, 12).Select(v => (double)v)] },
        // x[0, 2::-2, 3]
        { [0, 2, 3], [1, 0, 4], [1, -2, 1], 0, 0b010, 0, 0, 0b101, [2], [11, 3] },
    };

    [Theory]
    [MemberData(nameof(StridedSlices))]
    public void StridedSlice_follows_each_mask(long[] begin, long[] end, long[] strides, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkMask, long[] shape, double[] expected)
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 2, 3, 4);
        model.Op("slice", "StridedSlice", [x, model.IntWeight("begin", begin), model.IntWeight("end", end), model.IntWeight("strides", strides)],
            ("begin_mask", Attr.I(beginMask)), ("end_mask", Attr.I(endMask)), ("ellipsis_mask", Attr.I(ellipsisMask)),
            ("new_axis_mask", Attr.I(newAxisMask)), ("shrink_axis_mask", Attr.I(shrinkMask)), ("T", Attr.Type("DT_FLOAT")), ("Index", Attr.Type("DT_INT32")));

        var output = model.Run(inputs: Input.Floats("x", Cube, 2, 3, 4));

        output.ShouldBe(shape, expected);
    }

    [Fact]
    public void Shape_strided_slice_pack_and_reshape_follow_a_dynamic_batch()
    {
        // The pattern Universal Sentence Encoder uses: Reshape(x, Pack(Shape(x)[0], -1)).
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", -1, 3, 4);
        var shape = model.Op("shape", "Shape", [x], ("out_type", Attr.TypeNumber(3)));
        var batch = model.Op("batch", "StridedSlice", [shape, model.IntWeight("b", 0), model.IntWeight("e", 1), model.IntWeight("s", 1)], ("shrink_axis_mask", Attr.I(1)));
        var minusOne = model.IntWeight("minus_one", [-1], []);
        var pack = model.Op("pack", "Pack", [batch, minusOne], ("axis", Attr.I(0)), ("N", Attr.I(2)));
        model.Op("reshape", "Reshape", [x, pack]);

        model.Run(inputs: Input.Floats("x", Cube, 2, 3, 4)).ShouldBe([2, 12], [.. Cube.Select(v => (double)v)]);
        model.Run("shape", inputs: Input.Floats("x", Cube, 2, 3, 4)).ShouldBe([3], [2, 3, 4]);
    }

    [Fact]
    public void Transpose_expand_dims_squeeze_and_concat_keep_the_layout()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 2, 3, 4);
        var expanded = model.Op("expand", "ExpandDims", [x, model.IntWeight("dim", [-1], [])]);
        var squeezed = model.Op("squeeze", "Squeeze", [expanded], ("squeeze_dims", Attr.Ints(3)));
        model.Op("concat", "ConcatV2", [x, squeezed, model.IntWeight("axis", [0], [])], ("N", Attr.I(2)));
        model.Op("transpose", "Transpose", [x, model.IntWeight("perm", 2, 0, 1)]);

        double[] twice = [.. Cube.Concat(Cube).Select(v => (double)v)];
        model.Run("concat", inputs: Input.Floats("x", Cube, 2, 3, 4)).ShouldBe([4, 3, 4], twice);
        double[] transposed = [.. from k in Enumerable.Range(0, 4) from i in Enumerable.Range(0, 2) from j in Enumerable.Range(0, 3) select (double)((12 * i) + (4 * j) + k)];
        model.Run("transpose", inputs: Input.Floats("x", Cube, 2, 3, 4)).ShouldBe([4, 2, 3], transposed);
    }

    [Fact]
    public void Cast_truncates_towards_zero_and_casts_bool()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 4);
        var ints = model.Op("ints", "Cast", [x], ("SrcT", Attr.Type("DT_FLOAT")), ("DstT", Attr.Type("DT_INT32")));
        var positive = model.Op("positive", "Greater", [ints, model.IntWeight("zero", [0], [])]);
        model.Op("floats", "Cast", [positive], ("DstT", Attr.TypeNumber(1)));

        var input = Input.Floats("x", [1.7f, -1.7f, 0.2f, 3], 4);
        var truncated = model.Run("ints", inputs: input);
        Assert.Equal(TensorElementType.Int32, truncated.Type);
        truncated.ShouldBe([4], [1, -1, 0, 3]);
        model.Run("floats", inputs: input).ShouldBe([4], [1, 0, 0, 1]);
    }

    [Fact]
    public void GatherV2_takes_axis_and_batch_dims()
    {
        using var model = new TfJsModelFixture();
        var parameters = model.Weight("params", [1, 2, 3, 4, 5, 6], 2, 3);
        model.Op("rows", "GatherV2", [parameters, model.IntWeight("rows_index", 1, 0), model.IntWeight("axis0", [0], [])]);
        model.Op("columns", "GatherV2", [parameters, model.IntWeight("columns_index", 2), model.IntWeight("axis1", [1], [])]);
        var perRow = model.IntWeight("per_row", [2, 0, 1, 1], [2, 2]);
        model.Op("batched", "GatherV2", [parameters, perRow, model.IntWeight("axis_b", [1], [])], ("batch_dims", Attr.I(1)));

        model.Run("rows").ShouldBe([2, 3], [4, 5, 6, 1, 2, 3]);
        model.Run("columns").ShouldBe([2, 1], [3, 6]);
        model.Run("batched").ShouldBe([2, 2], [3, 1, 5, 5]);
    }

    [Fact]
    public void GatherNd_picks_slices_and_ScatterNd_adds_duplicates()
    {
        using var model = new TfJsModelFixture();
        var parameters = model.Weight("params", [1, 2, 3, 4], 2, 2);
        model.Op("gathered", "GatherNd", [parameters, model.IntWeight("points", [1, 0, 0, 1], [2, 2])]);
        model.Op("rows", "GatherNd", [parameters, model.IntWeight("row", [1], [1, 1])]);
        var updates = model.Weight("updates", [1, 2, 3, 4, 5, 6], 3, 2);
        model.Op("scattered", "ScatterNd", [model.IntWeight("targets", [1, 3, 1], [3, 1]), updates, model.IntWeight("shape", 4, 2)]);
        var values = model.Weight("values", [1, 2, 3], 3);
        model.Op("points_scattered", "ScatterNd", [model.IntWeight("cells", [0, 1, 0, 1, 1, 0], [3, 2]), values, model.IntWeight("square", 2, 2)]);

        model.Run("gathered").ShouldBe([2], [3, 2]);
        model.Run("rows").ShouldBe([1, 2], [3, 4]);
        model.Run("scattered").ShouldBe([4, 2], [0, 0, 6, 8, 0, 0, 3, 4]);
        model.Run("points_scattered").ShouldBe([2, 2], [0, 3, 3, 0]);
    }

    [Fact]
    public void SparseToDense_fills_the_default_and_takes_one_dimensional_indices_and_a_scalar_value()
    {
        using var model = new TfJsModelFixture();
        model.Op("dense", "SparseToDense",
            [model.IntWeight("indices", [0, 1, 1, 2], [2, 2]), model.IntWeight("shape", 2, 3), model.Weight("values", [5, 7], 2), model.Weight("default", [-1], [])],
            ("validate_indices", Attr.B(true)));
        model.Op("vector", "SparseToDense",
            [model.IntWeight("positions", 0, 3), model.IntWeight("length", 5), model.Weight("nine", [9], []), model.Weight("zero", [0], [])]);

        model.Op("single", "SparseToDense",
            [model.IntWeight("position", [3], []), model.IntWeight("size", 5), model.Weight("one", [1], []), model.Weight("none", [0], [])]);

        model.Run("dense").ShouldBe([2, 3], [-1, 5, -1, -1, -1, 7]);
        model.Run("vector").ShouldBe([5], [9, 0, 0, 9, 0]);
        model.Run("single").ShouldBe([5], [0, 0, 0, 1, 0]);
    }

    [Fact]
    public void Where_gives_the_coordinates_of_true_elements_in_row_major_order_as_int64()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", -1, 2);
        var positive = model.Op("positive", "Greater", [x, model.Weight("zero", [0], [])]);
        model.Op("where", "Where", [positive], ("T", Attr.Type("DT_BOOL")));

        var output = model.Run(inputs: Input.Floats("x", [1, -1, -1, 2, 3, 4], 3, 2));

        Assert.Equal(TensorElementType.Int64, output.Type);
        output.ShouldBe([4, 2], [0, 0, 1, 1, 2, 0, 2, 1]);
    }

    [Fact]
    public void SplitV_infers_the_minus_one_size_at_run_time()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", -1);
        model.Op("split", "SplitV", [x, model.IntWeight("sizes", 2, -1, 1), model.IntWeight("axis", [0], [])], ("num_split", Attr.I(3)));
        model.Op("joined", "ConcatV2", ["split:2", "split", "split:1", model.IntWeight("join_axis", [0], [])], ("N", Attr.I(3)));

        model.Run(inputs: Input.Floats("x", [1, 2, 3, 4, 5, 6], 6)).ShouldBe([6], [6, 1, 2, 3, 4, 5]);
        model.Run(inputs: Input.Floats("x", [1, 2, 3, 4], 4)).ShouldBe([4], [4, 1, 2, 3]);
    }

    [Fact]
    public void Conv2D_1x1_is_a_dense_layer_per_pixel_and_BiasAdd_adds_per_channel()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 1, 2, 1, 3);
        var filter = model.Weight("filter", [1, 0, 0, 1, 1, 1], 1, 1, 3, 2);
        var conv = model.Op("conv", "Conv2D", [x, filter],
            ("strides", Attr.Ints(1, 1, 1, 1)), ("dilations", Attr.Ints(1, 1, 1, 1)), ("padding", Attr.SBytes("VALID")), ("data_format", Attr.SBytes("NHWC")));
        model.Op("biased", "BiasAdd", [conv, model.Weight("bias", [0.5f, -0.5f], 2)], ("data_format", Attr.S("NHWC")));

        model.Run(inputs: Input.Floats("x", [1, 2, 3, 4, 5, 6], 1, 2, 1, 3)).ShouldBe([1, 2, 1, 2], [4.5, 4.5, 10.5, 10.5]);
    }

    [Theory]
    [InlineData(1, new double[] { 12, 16, 9, 24, 28, 15, 15, 17, 9 }, 3)]
    [InlineData(2, new double[] { 12, 9, 15, 9 }, 2)]
    public void Conv2D_same_padding_puts_the_odd_row_and_column_after(int stride, double[] expected, int size)
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 1, 3, 3, 1);
        model.Op("conv", "Conv2D", [x, model.Weight("ones", [1, 1, 1, 1], 2, 2, 1, 1)],
            ("strides", Attr.Ints(1, stride, stride, 1)), ("padding", Attr.S("SAME")));

        model.Run(inputs: Input.Floats("x", [1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 3, 3, 1)).ShouldBe([1, size, size, 1], expected);
    }

    [Fact]
    public void BatchMatMul_transposes_for_adj_x_and_adj_y_and_broadcasts_the_batch()
    {
        float[] a = [.. Enumerable.Range(1, 12).Select(v => (float)v)];
        float[] b = [.. Enumerable.Range(1, 12).Select(v => (float)(v % 5) - 2)];
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("a", "DT_FLOAT", 2, 3, 2);
        var y = model.Weight("b", b, 2, 2, 3);
        model.Op("adjoint", "BatchMatMul", [x, y], ("adj_x", Attr.B(true)), ("adj_y", Attr.B(true)));
        model.Op("broadcast", "BatchMatMulV2", [model.Weight("left", a, 2, 2, 3), model.Weight("right", b[..6], 3, 2)]);

        // adjoint[n, i, j] = sum_k a[n, k, i] * b[n, j, k]
        double[] adjoint = [.. from n in Enumerable.Range(0, 2) from i in Enumerable.Range(0, 2) from j in Enumerable.Range(0, 2)
            select Enumerable.Range(0, 3).Sum(k => (double)a[(n * 6) + (k * 2) + i] * b[(n * 6) + (j * 3) + k])];
        model.Run("adjoint", inputs: Input.Floats("a", a, 2, 3, 2)).ShouldBe([2, 2, 2], adjoint);

        // broadcast[n, i, j] = sum_k left[n, i, k] * right[k, j]
        double[] broadcast = [.. from n in Enumerable.Range(0, 2) from i in Enumerable.Range(0, 2) from j in Enumerable.Range(0, 2)
            select Enumerable.Range(0, 3).Sum(k => (double)a[(n * 6) + (i * 3) + k] * b[(k * 2) + j])];
        model.Run("broadcast").ShouldBe([2, 2, 2], broadcast);
    }

    [Fact]
    public void MatMul_transposes_a_and_b()
    {
        using var model = new TfJsModelFixture();
        var a = model.Weight("a", [1, 2, 3, 4, 5, 6], 2, 3);
        var b = model.Weight("b", [1, 0, 1, 0, 1, 0], 2, 3);
        model.Op("product", "MatMul", [a, b], ("transpose_a", Attr.B(false)), ("transpose_b", Attr.B(true)));
        model.Op("gram", "MatMul", [a, b], ("transpose_a", Attr.B(true)));

        model.Run("product").ShouldBe([2, 2], [4, 2, 10, 5]);
        model.Run("gram").ShouldBe([3, 3], [1, 4, 1, 2, 5, 2, 3, 6, 3]);
    }

    [Theory]
    [InlineData("Mean", new long[] { 1 }, true, new long[] { 2, 1 }, new double[] { 2, 5 })]
    [InlineData("Sum", new long[] { 0 }, false, new long[] { 3 }, new double[] { 5, 7, 9 })]
    [InlineData("Prod", new long[] { -1 }, false, new long[] { 2 }, new double[] { 6, 120 })]
    [InlineData("Max", new long[] { 0, 1 }, true, new long[] { 1, 1 }, new double[] { 6 })]
    [InlineData("Min", new long[] { 1 }, false, new long[] { 2 }, new double[] { 1, 4 })]
    [InlineData("Sum", new long[0], false, new long[] { 2, 3 }, new double[] { 1, 2, 3, 4, 5, 6 })]
    public void Reductions_take_their_axes_and_keep_dims(string op, long[] axes, bool keep, long[] shape, double[] expected)
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 2, 3);
        model.Op("reduced", op, [x, model.IntWeight("axes", axes, [axes.Length])], ("keep_dims", Attr.B(keep)));

        model.Run(inputs: Input.Floats("x", [1, 2, 3, 4, 5, 6], 2, 3)).ShouldBe(shape, expected);
    }

    [Fact]
    public void Reductions_of_integers_keep_their_type()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_INT64", -1, 2);
        model.Op("max", "Max", [x, model.IntWeight("axis", [0], [])]);

        var output = model.Run(inputs: Input.Longs("x", [0, 1, 2, 0, 1, 3], 3, 2));

        Assert.Equal(TensorElementType.Int64, output.Type);
        output.ShouldBe([2], [2, 3]);
    }

    [Fact]
    public void Range_counts_int32_and_float_steps()
    {
        using var model = new TfJsModelFixture();
        var limit = model.Placeholder("limit", "DT_INT32");
        model.Op("ints", "Range", [model.IntWeight("start", [0], []), limit, model.IntWeight("delta", [2], [])], ("Tidx", Attr.Type("DT_INT32")));
        model.Op("floats", "Range", [model.Weight("fstart", [0.5f], []), model.Weight("flimit", [2], []), model.Weight("fdelta", [0.5f], [])]);

        model.Run("ints", inputs: Input.Ints("limit", [5])).ShouldBe([3], [0, 2, 4]);
        model.Run("ints", inputs: Input.Ints("limit", [6])).ShouldBe([3], [0, 2, 4]);
        model.Run("floats").ShouldBe([3], [0.5, 1, 1.5]);
    }

    [Theory]
    [InlineData("Relu", -1.5, 0)]
    [InlineData("Relu", 2, 2)]
    [InlineData("Square", -3, 9)]
    [InlineData("Rsqrt", 4, 0.5)]
    [InlineData("Tanh", 0.5, 0.46211715726000974)]
    [InlineData("Sin", 0.5, 0.479425538604203)]
    [InlineData("Cos", 0.5, 0.8775825618903728)]
    [InlineData("Exp", 1, Math.E)]
    [InlineData("Sigmoid", 0, 0.5)]
    [InlineData("Neg", 2, -2)]
    [InlineData("Abs", -2.5, 2.5)]
    [InlineData("Floor", -1.5, -2)]
    [InlineData("Ceil", -1.5, -1)]
    [InlineData("Log", Math.E, 1)]
    [InlineData("Sqrt", 9, 3)]
    [InlineData("Reciprocal", 4, 0.25)]
    public void Unary_ops_compute_their_function(string op, double x, double expected)
    {
        using var model = new TfJsModelFixture();
        model.Op("y", op, [model.Placeholder("x", "DT_FLOAT", 1)]);

        model.Run(inputs: Input.Floats("x", [(float)x], 1)).ShouldBe([1], [expected]);
    }

    [Theory]
    [InlineData("Add", new double[] { 4, 1 })]
    [InlineData("AddV2", new double[] { 4, 1 })]
    [InlineData("Sub", new double[] { -2, 3 })]
    [InlineData("Mul", new double[] { 3, -2 })]
    [InlineData("RealDiv", new double[] { 1.0 / 3, -2 })]
    [InlineData("Maximum", new double[] { 3, 2 })]
    [InlineData("Minimum", new double[] { 1, -1 })]
    [InlineData("Less", new double[] { 1, 0 })]
    [InlineData("Greater", new double[] { 0, 1 })]
    [InlineData("Equal", new double[] { 0, 0 })]
    [InlineData("LessEqual", new double[] { 1, 0 })]
    [InlineData("GreaterEqual", new double[] { 0, 1 })]
    [InlineData("Pow", new double[] { 1, 0.5 })]
    public void Binary_ops_broadcast_and_compare(string op, double[] expected)
    {
        using var model = new TfJsModelFixture();
        model.Op("y", op, [model.Placeholder("x", "DT_FLOAT", 2), model.Weight("other", [3, -1], 2)]);

        model.Run(inputs: Input.Floats("x", [1, 2], 2)).ShouldBe([2], expected, 1e-7);
    }

    [Fact]
    public void Softmax_normalises_the_last_axis_and_LogicalNot_negates()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 2, 2);
        model.Op("softmax", "Softmax", [x]);
        model.Op("log_softmax", "LogSoftmax", [x]);
        var positive = model.Op("positive", "Greater", [x, model.Weight("two", [2], [])]);
        model.Op("not", "LogicalNot", [positive]);

        var input = Input.Floats("x", [1, 2, 3, 3], 2, 2);
        model.Run("softmax", inputs: input).ShouldBe([2, 2], [1 / (1 + Math.E), Math.E / (1 + Math.E), 0.5, 0.5]);
        model.Run("log_softmax", inputs: input).ShouldBe([2, 2], [-Math.Log(1 + Math.E), 1 - Math.Log(1 + Math.E), -Math.Log(2), -Math.Log(2)]);
        model.Run("not", inputs: input).ShouldBe([2, 2], [1, 1, 0, 0]);
    }

    [Fact]
    public void Logical_ops_read_bool_constants()
    {
        using var model = new TfJsModelFixture();
        var positive = model.Op("positive", "Greater", [model.Placeholder("x", "DT_FLOAT", 2), model.Weight("zero", [0], [])]);
        var mask = model.InlineConst("mask", "DT_BOOL", [2], new JsonObject { ["boolVal"] = new JsonArray(true, false) });
        model.Op("and", "LogicalAnd", [positive, mask]);
        model.Op("or", "LogicalOr", [positive, mask]);

        var input = Input.Floats("x", [1, 1], 2);
        model.Run("and", inputs: input).ShouldBe([2], [1, 0]);
        model.Run("or", inputs: Input.Floats("x", [-1, -1], 2)).ShouldBe([2], [1, 0]);
    }

    [Fact]
    public void Slice_takes_begin_and_size_with_minus_one_to_the_end()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 2, 3, 4);
        model.Op("slice", "Slice", [x, model.IntWeight("begin", 0, 1, 1), model.IntWeight("size", -1, 1, 2)]);

        model.Run(inputs: Input.Floats("x", Cube, 2, 3, 4)).ShouldBe([2, 1, 2], [5, 6, 17, 18]);
    }

    [Fact]
    public void Pack_on_the_last_axis_interleaves_and_Squeeze_without_dims_drops_every_one()
    {
        using var model = new TfJsModelFixture();
        var a = model.Weight("a", [1, 2], 2);
        var b = model.Weight("b", [3, 4], 2);
        model.Op("pack", "Pack", [a, b], ("axis", Attr.I(-1)), ("N", Attr.I(2)));
        model.Op("squeeze", "Squeeze", [model.Weight("column", [5, 6], 1, 2, 1)]);

        model.Run("pack").ShouldBe([2, 2], [1, 3, 2, 4]);
        model.Run("squeeze").ShouldBe([2], [5, 6]);
    }

    [Fact]
    public void Conv2D_reads_nchw_with_explicit_padding_and_BiasAdd_nchw_adds_on_axis_1()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 1, 1, 2, 2);
        var conv = model.Op("conv", "Conv2D", [x, model.Weight("two", [2], 1, 1, 1, 1)],
            ("strides", Attr.Ints(1, 1, 1, 1)), ("padding", Attr.S("EXPLICIT")), ("explicit_paddings", Attr.Ints(0, 0, 0, 0, 1, 0, 0, 1)), ("data_format", Attr.S("NCHW")));
        model.Op("channels", "BiasAdd", [model.Weight("planes", [1, 2, 3, 4], 1, 2, 1, 2), model.Weight("bias", [10, 20], 2)], ("data_format", Attr.S("NCHW")));

        model.Run("conv", inputs: Input.Floats("x", [1, 2, 3, 4], 1, 1, 2, 2)).ShouldBe([1, 1, 3, 3], [0, 0, 0, 2, 4, 0, 6, 8, 0]);
        model.Run("channels").ShouldBe([1, 2, 1, 2], [11, 12, 23, 24]);
    }

    [Fact]
    public void Conv2D_with_fewer_filter_channels_than_the_input_is_grouped()
    {
        // Two groups: output channel g sees input channels 2g and 2g + 1.
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 1, 1, 1, 4);
        model.Op("conv", "Conv2D", [x, model.Weight("filter", [1, 10, 100, 1000], 1, 1, 2, 2)], ("strides", Attr.Ints(1, 1, 1, 1)), ("padding", Attr.S("VALID")));

        model.Run(inputs: Input.Floats("x", [1, 2, 3, 4], 1, 1, 1, 4)).ShouldBe([1, 1, 1, 2], [201, 4030]);
    }

    [Fact]
    public void Inline_constants_read_value_lists_tensor_content_and_repeat_the_last_value()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 3);
        var content = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(content, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(content.AsSpan(4), -2);
        BinaryPrimitives.WriteSingleLittleEndian(content.AsSpan(8), 0.25f);
        var raw = model.InlineConst("raw", "DT_FLOAT", [3], new JsonObject { ["tensorContent"] = Convert.ToBase64String(content) });
        var repeated = model.InlineConst("repeated", "DT_FLOAT", [3], new JsonObject { ["float_val"] = new JsonArray(10, 20) });
        model.Op("sum", "Add", [model.Op("partial", "Add", [x, raw]), repeated]);
        var longs = model.InlineConst("longs", "DT_INT64", [2], new JsonObject { ["int64Val"] = new JsonArray("5", "-6") });
        var ints = model.InlineConst("ints", "DT_INT32", [3], new JsonObject { ["intVal"] = new JsonArray(7) });
        model.Op("int_sum", "Sum", [model.Op("widened", "Cast", [ints], ("DstT", Attr.Type("DT_INT64"))), model.InlineConst("axis", "DT_INT32", [], new JsonObject { ["intVal"] = new JsonArray(0) })]);
        model.Op("int_both", "Add", [longs, "int_sum"]);

        model.Run("sum", inputs: Input.Floats("x", [1, 1, 1], 3)).ShouldBe([3], [12.5, 19, 21.25]);
        model.Run("int_both").ShouldBe([2], [26, 15]);
    }

    [Fact]
    public void Quantized_weights_are_dequantised_as_tensorflow_js_does()
    {
        using var model = new TfJsModelFixture();
        model.QuantizedWeight("u8", "float32", "uint8", [0, 1, 4, 255], [4], scale: 0.5, min: -1);
        var u16 = new byte[6];
        BinaryPrimitives.WriteUInt16LittleEndian(u16, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(u16.AsSpan(2), 4);
        BinaryPrimitives.WriteUInt16LittleEndian(u16.AsSpan(4), 65535);
        model.QuantizedWeight("u16", "float32", "uint16", u16, [3], scale: 0.25, min: 2);
        var halves = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(halves, (Half)1.5);
        BinaryPrimitives.WriteHalfLittleEndian(halves.AsSpan(2), (Half)(-0.25));
        model.QuantizedWeight("f16", "float32", "float16", halves, [2]);
        // q * 0.5 - 0.5 = -0.5, 0, 0.5, 1 rounds as Math.round does: ties towards +infinity.
        model.QuantizedWeight("i32", "int32", "uint8", [0, 1, 2, 3], [4], scale: 0.5, min: -0.5);
        model.Op("u8_out", "Identity", ["u8"]);
        model.Op("u16_out", "Identity", ["u16"]);
        model.Op("f16_out", "Identity", ["f16"]);
        model.Op("i32_out", "Identity", ["i32"]);

        model.Run("u8_out").ShouldBe([4], [-1, -0.5, 1, 126.5]);
        model.Run("u16_out").ShouldBe([3], [2, 3, 16385.75]);
        model.Run("f16_out").ShouldBe([2], [1.5, -0.25]);
        model.Run("i32_out").ShouldBe([4], [0, 0, 1, 1]);
    }

    [Theory]
    [InlineData("DT_INT32")]
    [InlineData("DT_INT64")]
    public void Sparse_input_is_built_from_input_ids_and_attention_mask_in_the_reference_order(string type)
    {
        // As Universal Sentence Encoder: the dense shape is the largest index + 1, and SparseToDense fills -1.
        using var model = new TfJsModelFixture();
        var indices = model.Placeholder("indices", type, -1, 2);
        var values = model.Placeholder("values", type, -1);
        var max = model.Op("max", "Max", [indices, model.IntWeight("axis", [0], [])], ("keep_dims", Attr.B(false)));
        var shape = model.Op("shape", "Add", [max, model.IntWeight("ones", [1, 1], [2], type)]);
        model.Op("dense", "SparseToDense", [indices, shape, values, model.IntWeight("default", [-1], [], type)]);

        var output = model.Run(options: TfJsImportOptions.UniversalSentenceEncoder, inputs:
        [
            Input.Longs("input_ids", [5, 6, 0, 7, 0, 0, 8, 9, 4], 3, 3),
            Input.Longs("attention_mask", [1, 1, 0, 1, 0, 0, 1, 1, 1], 3, 3),
        ]);

        output.ShouldBe([3, 3], [5, 6, -1, 7, -1, -1, 8, 9, 4]);
    }

    [Fact]
    public void Sparse_placeholders_that_are_not_in_the_graph_are_refused_with_the_ones_it_has()
    {
        using var model = new TfJsModelFixture();
        model.Op("y", "Identity", [model.Placeholder("tokens", "DT_INT32", -1)]);
        model.Write();

        var error = Assert.Throws<TfJsImportException>(() => model.Import(options: TfJsImportOptions.UniversalSentenceEncoder));

        Assert.Contains("'indices'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'tokens'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_op_stops_the_import_naming_the_op_and_the_node()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 2);
        model.Op("encoder/fancy", "FancyOp", [x]);
        model.Op("y", "Relu", ["encoder/fancy"]);
        model.Write();

        var error = Assert.Throws<TfJsImportException>(() => model.Import());

        Assert.Contains("'FancyOp'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'encoder/fancy'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_the_output_does_not_need_are_left_out_even_with_unknown_ops()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 2);
        model.Op("unused", "FancyOp", [x]);
        model.Op("y", "Relu", [x]);

        model.Run("y", inputs: Input.Floats("x", [-1, 1], 2)).ShouldBe([2], [0, 1]);
    }

    [Fact]
    public void Axes_computed_in_the_graph_are_refused_naming_the_node()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", 2, 3);
        var axes = model.Placeholder("axes", "DT_INT32", 1);
        model.Op("layer/mean", "Mean", [x, axes]);
        model.Write();

        var error = Assert.Throws<TfJsImportException>(() => model.Import());

        Assert.Contains("'layer/mean' (Mean)", error.Message, StringComparison.Ordinal);
        Assert.Contains("constant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_shard_is_named()
    {
        using var model = new TfJsModelFixture();
        model.Op("y", "Identity", [model.Weight("w", [.. Enumerable.Range(0, 10).Select(v => (float)v)], 10)]);
        var shards = model.Write(shardBytes: 16);
        File.Delete(shards[1]);

        var error = Assert.Throws<TfJsImportException>(() => model.Import("y"));

        Assert.Contains("'group1-shard2of3'", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_shard_names_the_weight_that_does_not_fit()
    {
        using var model = new TfJsModelFixture();
        model.Weight("first", [1, 2], 2);
        model.Op("y", "Identity", [model.Weight("layer/kernel", [.. Enumerable.Range(0, 6).Select(v => (float)v)], 2, 3)]);
        var shards = model.Write(shardBytes: 64);
        var bytes = File.ReadAllBytes(shards[0]);
        File.WriteAllBytes(shards[0], bytes[..^4]);

        var error = Assert.Throws<TfJsImportException>(() => model.Import("y"));

        Assert.Contains("'layer/kernel'", error.Message, StringComparison.Ordinal);
        Assert.Contains("group1-shard1of1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_output_defaults_to_the_last_node_and_is_renamed()
    {
        using var model = new TfJsModelFixture();
        var x = model.Placeholder("x", "DT_FLOAT", -1, 2);
        model.Op("y", "Relu", [x]);
        model.Write();

        var result = TfJsGraphImporter.Import(model.ModelJson, Path.Combine(model.Folder, "out", "model.onnx"), new TfJsImportOptions { OutputName = "features" });

        Assert.Equal("features", result.OutputName);
        Assert.Equal(["x"], result.InputNames);
        Assert.Equal([-1, 2], result.OutputShape);
        Assert.True(File.Exists(result.OnnxPath));
    }
}
