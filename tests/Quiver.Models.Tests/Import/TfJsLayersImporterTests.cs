using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Quiver.Catalogue.Import.TfJs;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// Small Keras layers models imported and run in ONNX Runtime against naive channels-last references written from
/// Keras's documented semantics, and nsfwjs's MobileNetV2 against features TensorFlow.js computed for the same pixels
/// (bench/peers/mobilenet/embed.mjs).
/// </summary>
public sealed partial class TfJsLayersImporterTests
{
    public static TheoryData<int, int, string, bool> Convolutions => new()
    {
        // TensorFlow pads SAME stride 2 with the odd pixel after: with a 3 × 3 kernel, 5 rows pad (1, 1) but 6 columns (0, 1).
        { 3, 2, "same", false },
        { 2, 2, "same", false },
        { 3, 1, "same", false },
        { 3, 2, "valid", false },
        { 3, 2, "same", true },
        { 3, 1, "valid", true },
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Convolution_matches_a_naive_channels_last_convolution(int kernel, int stride, string padding, bool depthwise)
    {
        const int Channels = 2;
        var multiplierOrFilters = depthwise ? 2 : 3;
        using var model = new TfJsLayersModelFixture();
        var x = model.Input("input", 5, 6, Channels);
        var weights = Random(kernel * kernel * Channels * multiplierOrFilters, 1);
        var bias = Random(depthwise ? Channels * multiplierOrFilters : multiplierOrFilters, 2);
        var config = new JsonObject
        {
            ["kernel_size"] = new JsonArray(kernel, kernel),
            ["strides"] = new JsonArray(stride, stride),
            ["padding"] = padding,
            ["data_format"] = "channels_last",
            ["dilation_rate"] = new JsonArray(1, 1),
            ["activation"] = "linear",
            ["use_bias"] = true,
        };
        config[depthwise ? "depth_multiplier" : "filters"] = multiplierOrFilters;
        model.Layer("conv", depthwise ? "DepthwiseConv2D" : "Conv2D", config, x);
        model.Weight("conv", depthwise ? "depthwise_kernel" : "kernel", weights, kernel, kernel, Channels, multiplierOrFilters);
        model.Weight("conv", "bias", bias, bias.Length);
        var pixels = Random(2 * 5 * 6 * Channels, 3);

        var output = model.Run(pixels, [2, 5, 6, Channels], new TfJsLayersImportOptions { OutputLayer = "conv" });

        var (expected, shape) = NaiveConvolution(pixels, [2, 5, 6, Channels], weights, kernel, multiplierOrFilters, stride, padding == "same", depthwise, bias);
        output.ShouldBe(shape, expected, tolerance: 1e-5);
    }

    [Fact]
    public void Padding_normalisation_relu6_residual_add_pooling_and_dense_match_keras()
    {
        using var model = new TfJsLayersModelFixture();
        var x = model.Input("input", 4, 4, 3);
        var padded = model.Layer("pad", "ZeroPadding2D", new JsonObject { ["padding"] = new JsonArray(new JsonArray(0, 1), new JsonArray(0, 1)) }, x);
        var normalised = model.Layer("bn", "BatchNormalization", new JsonObject { ["axis"] = -1, ["epsilon"] = 0.001 }, padded);
        float[] gamma = [5, -4, 8], beta = [1, 0.5f, -2], mean = [0.1f, -0.2f, 0.3f], variance = [0.5f, 2, 1.5f];
        model.Weight("bn", "gamma", gamma, 3);
        model.Weight("bn", "beta", beta, 3);
        model.Weight("bn", "moving_mean", mean, 3);
        model.Weight("bn", "moving_variance", variance, 3);
        var relu = model.Layer("relu6", "ReLU", new JsonObject { ["max_value"] = 6, ["negative_slope"] = 0, ["threshold"] = 0 }, normalised);
        var sum = model.Layer("add", "Add", [], padded, relu);
        var pooled = model.Layer("gap", "GlobalAveragePooling2D", new JsonObject { ["data_format"] = "channels_last" }, sum);
        var dropped = model.Layer("dropout", "Dropout", new JsonObject { ["rate"] = 0.5 }, pooled);
        model.Layer("dense", "Dense", new JsonObject { ["units"] = 2, ["activation"] = "softmax", ["use_bias"] = true }, dropped);
        var kernel = Random(6, 4);
        float[] bias = [0.25f, -0.5f];
        model.Weight("dense", "kernel", kernel, 3, 2);
        model.Weight("dense", "bias", bias, 2);
        var pixels = Random(2 * 4 * 4 * 3, 5).Select(v => v * 3).ToArray();

        // Keras, channels last: pad the bottom row and right column with zeros, normalise, clip to [0, 6], add, average.
        var features = new double[2 * 3];
        for (var n = 0; n < 2; n++)
        {
            for (var h = 0; h < 5; h++)
            {
                for (var w = 0; w < 5; w++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        var p = h < 4 && w < 4 ? pixels[(((((n * 4) + h) * 4) + w) * 3) + c] : 0.0;
                        var b = ((p - mean[c]) / Math.Sqrt(variance[c] + 0.001) * gamma[c]) + beta[c];
                        features[(n * 3) + c] += (p + Math.Clamp(b, 0, 6)) / 25;
                    }
                }
            }
        }

        var probabilities = new double[2 * 2];
        for (var n = 0; n < 2; n++)
        {
            var logits = Enumerable.Range(0, 2).Select(u => bias[u] + Enumerable.Range(0, 3).Sum(c => features[(n * 3) + c] * kernel[(c * 2) + u])).ToArray();
            var total = logits.Sum(Math.Exp);
            probabilities[n * 2] = Math.Exp(logits[0]) / total;
            probabilities[(n * 2) + 1] = Math.Exp(logits[1]) / total;
        }

        model.Run(pixels, [2, 4, 4, 3]).ShouldBe([2, 3], features, tolerance: 1e-5);
        model.Run(pixels, [2, 4, 4, 3], new TfJsLayersImportOptions { OutputLayer = "dense" }).ShouldBe([2, 2], probabilities, tolerance: 1e-5);
    }

    [Fact]
    public void Flatten_and_reshape_keep_the_channels_last_order()
    {
        using var model = new TfJsLayersModelFixture();
        var x = model.Input("input", 2, 2, 3);
        var pad = model.Layer("pad", "ZeroPadding2D", new JsonObject { ["padding"] = 0 }, x);
        var flat = model.Layer("flatten", "Flatten", [], pad);
        model.Layer("reshape", "Reshape", new JsonObject { ["target_shape"] = new JsonArray(4, -1) }, flat);
        float[] pixels = [.. Enumerable.Range(0, 12).Select(v => (float)v)];

        model.Run(pixels, [1, 2, 2, 3], new TfJsLayersImportOptions { OutputLayer = "flatten" }).ShouldBe([1, 12], [.. pixels.Select(v => (double)v)]);
        model.Run(pixels, [1, 2, 2, 3], new TfJsLayersImportOptions { OutputLayer = "reshape" }).ShouldBe([1, 4, 3], [.. pixels.Select(v => (double)v)]);
    }

    [Fact]
    public void Unknown_layer_is_refused_naming_its_class_and_name()
    {
        using var model = new TfJsLayersModelFixture();
        var x = model.Input("input", 4, 4, 3);
        var lambda = model.Layer("my_lambda", "Lambda", new JsonObject { ["function"] = "x => x" }, x);
        model.Layer("gap", "GlobalAveragePooling2D", [], lambda);

        var error = Assert.Throws<TfJsImportException>(() => model.Run(new float[48], [1, 4, 4, 3]));

        Assert.Contains("'my_lambda' (Lambda)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_bundles_load_as_nsfwjs_ships_them()
    {
        using var model = new TfJsLayersModelFixture();
        var x = model.Input("input", 3, 3, 2);
        var bn = model.Layer("bn", "BatchNormalization", new JsonObject { ["axis"] = -1, ["epsilon"] = 0.001, ["center"] = false, ["scale"] = true }, x);
        model.Weight("bn", "gamma", [2, 0.5f], 2);
        model.Weight("bn", "moving_mean", [0.5f, -1], 2);
        model.Weight("bn", "moving_variance", [1, 4], 2);
        model.Layer("gap", "GlobalAveragePooling2D", [], bn);
        var json = File.ReadAllText(model.Save());
        var pixels = Random(18, 6);
        var fromJson = TfJsLayersModelFixture.RunOnnx(Import(TfJsLayersModel.Load(model.ModelJson), model.Folder, "json.onnx"), pixels, [1, 3, 3, 2]);

        // What a minifier makes of model.json: unquoted keys, !0 and !1, .001; the shard as base64 in a bundle of its own.
        var literal = QuotedKey().Replace(json, "$1:").Replace("true", "!0", StringComparison.Ordinal).Replace("false", "!1", StringComparison.Ordinal)
            .Replace("0.001", ".001", StringComparison.Ordinal).Replace("group1-shard1of1.bin", "group1-shard1of1", StringComparison.Ordinal);
        var bundles = Path.Combine(model.Folder, "bundles");
        Directory.CreateDirectory(bundles);
        File.WriteAllText(Path.Combine(bundles, "model.min.js"), TfJsLayersModelFixture.Bundle("model", literal));
        var shard = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(model.Folder, "group1-shard1of1.bin")));
        File.WriteAllText(Path.Combine(bundles, "group1-shard1of1.min.js"), TfJsLayersModelFixture.Bundle("group1_shard1of1", $"\"{shard}\""));
        var fromBundle = TfJsLayersModelFixture.RunOnnx(Import(TfJsLayersModel.LoadScriptBundle(Path.Combine(bundles, "model.min.js")), model.Folder, "bundle.onnx"), pixels, [1, 3, 3, 2]);

        Assert.Equal(fromJson.Values, fromBundle.Values);
        var mean = new double[2];
        for (var i = 0; i < 18; i++)
        {
            var c = i % 2;
            mean[c] += (pixels[i] - (c == 0 ? 0.5 : -1)) / Math.Sqrt((c == 0 ? 1 : 4) + 0.001) * (c == 0 ? 2 : 0.5) / 9;
        }

        fromBundle.ShouldBe([1, 2], mean, tolerance: 1e-5);
    }

    [Fact]
    public void A_file_that_is_not_a_bundle_is_refused_naming_it()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("model.min.js");
        File.WriteAllText(path, "module.exports = require('./model.json');");

        var error = Assert.Throws<TfJsImportException>(() => TfJsLayersModel.LoadScriptBundle(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("browserify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Needs", "npm")]
    public async Task NsfwJs_MobileNetV2_matches_TensorFlow_js_features()
    {
        // Pinned from `node bench/peers/mobilenet/embed.mjs --random 3 --seed 7 --out ref` (tfjs 4.22.0, CPU backend):
        // per image the sum and sum of squares of the 1280 pooled features, and its 12 largest features.
        (double Sum, double Squares, int[] Indices, double[] Values)[] reference =
        [
            (38.9005616, 21.7413802, [12, 88, 109, 601, 1001, 1167, 1168, 1181, 1211, 1226, 1234, 1255],
                [0.79178810, 0.78506559, 0.57074904, 0.56408703, 0.71618289, 1.4518647, 0.70793277, 0.58802414, 2.6277452, 0.62544662, 0.68904364, 0.84045237]),
            (36.4976373, 20.5466206, [12, 88, 829, 868, 1001, 1167, 1168, 1181, 1211, 1226, 1234, 1255],
                [0.73766524, 0.80449635, 0.55524176, 0.58895123, 0.69090599, 1.3049935, 0.64186513, 0.55379796, 2.7459569, 0.57703441, 0.58123940, 0.90467656]),
            (37.5093503, 23.3661157, [12, 88, 601, 868, 1001, 1167, 1168, 1175, 1181, 1211, 1234, 1255],
                [0.68480843, 0.69329059, 0.62028188, 0.61958861, 0.63972980, 1.3364036, 0.85178018, 0.57335645, 0.67805684, 3.1007862, 0.60243571, 0.93929774]),
        ];
        using var folder = new TemporaryFolder();
        var model = TfJsLayersModel.LoadScriptBundle(await NsfwJsPackage.GetMobileNetV2Async());
        var onnx = folder.File("mobilenet_v2.onnx");

        var result = TfJsLayersImporter.Import(model, onnx, new TfJsLayersImportOptions());

        Assert.Equal("average_pooling2d_1", result.OutputLayer);
        Assert.Equal([-1, 224, 224, 3], result.InputShape);
        Assert.Equal([-1, 1280], result.OutputShape);
        var output = TfJsLayersModelFixture.RunOnnx(onnx, EmbedMjsPixels(3, 7), [3, 224, 224, 3]);
        Assert.Equal([3, 1280], output.Shape);
        for (var n = 0; n < 3; n++)
        {
            var features = output.Values.AsSpan(n * 1280, 1280).ToArray();
            Assert.Equal(reference[n].Sum, features.Sum(), 1e-3);
            Assert.Equal(reference[n].Squares, features.Sum(v => v * v), 1e-3);
            for (var i = 0; i < reference[n].Indices.Length; i++)
            {
                var actual = features[reference[n].Indices[i]];
                Assert.True(Math.Abs(actual - reference[n].Values[i]) <= 5e-5, $"image {n}, feature {reference[n].Indices[i]}: TensorFlow.js {reference[n].Values[i]}, ONNX {actual}");
            }
        }
    }

    /// <summary>The pixels embed.mjs --random makes: a 32-bit LCG's states scaled to [-1, 1).</summary>
    private static float[] EmbedMjsPixels(int images, uint seed)
    {
        var values = new float[images * 224 * 224 * 3];
        var state = seed;
        for (var i = 0; i < values.Length; i++)
        {
            state = unchecked((state * 1664525u) + 1013904223u);
            values[i] = (float)((2.0 * state / 4294967296.0) - 1);
        }

        return values;
    }

    private static string Import(TfJsLayersModel model, string folder, string name)
    {
        var onnx = Path.Combine(folder, name);
        TfJsLayersImporter.Import(model, onnx, new TfJsLayersImportOptions());
        return onnx;
    }

    private static (double[] Values, long[] Shape) NaiveConvolution(
        float[] x, long[] shape, float[] kernel, int size, int filters, int stride, bool same, bool depthwise, float[] bias)
    {
        var (batch, height, width, channels) = ((int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]);
        var outHeight = same ? (height + stride - 1) / stride : ((height - size) / stride) + 1;
        var outWidth = same ? (width + stride - 1) / stride : ((width - size) / stride) + 1;
        var top = same ? Math.Max(((outHeight - 1) * stride) + size - height, 0) / 2 : 0;
        var left = same ? Math.Max(((outWidth - 1) * stride) + size - width, 0) / 2 : 0;
        var outChannels = depthwise ? channels * filters : filters;
        var y = new double[batch * outHeight * outWidth * outChannels];
        for (var n = 0; n < batch; n++)
        {
            for (var oh = 0; oh < outHeight; oh++)
            {
                for (var ow = 0; ow < outWidth; ow++)
                {
                    for (var o = 0; o < outChannels; o++)
                    {
                        double sum = bias[o];
                        for (var kh = 0; kh < size; kh++)
                        {
                            for (var kw = 0; kw < size; kw++)
                            {
                                var (h, w) = ((oh * stride) + kh - top, (ow * stride) + kw - left);
                                if (h < 0 || h >= height || w < 0 || w >= width)
                                {
                                    continue;
                                }

                                for (var c = 0; c < channels; c++)
                                {
                                    if (depthwise && c != o / filters)
                                    {
                                        continue;
                                    }

                                    var k = depthwise
                                        ? kernel[(((((kh * size) + kw) * channels) + c) * filters) + (o % filters)]
                                        : kernel[(((((kh * size) + kw) * channels) + c) * filters) + o];
                                    sum += x[(((((n * height) + h) * width) + w) * channels) + c] * (double)k;
                                }
                            }
                        }

                        y[(((((n * outHeight) + oh) * outWidth) + ow) * outChannels) + o] = sum;
                    }
                }
            }
        }

        return (y, [batch, outHeight, outWidth, outChannels]);
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2) - 1)];
    }

    [GeneratedRegex("\"([A-Za-z_][A-Za-z0-9_]*)\":")]
    private static partial Regex QuotedKey();
}
