using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Images;
using Quiver.Models.Tests.Import;
using SkiaSharp;

namespace Quiver.Models.Tests.Images;

/// <summary>
/// The image model's install, offline: the catalogue's mobilenet-v2 entry installed from a package the test builds the
/// way nsfwjs ships MobileNetV2 (browserify bundles under dist/models/mobilenet_v2), holding a tiny layers model whose
/// output is known: a 1 × 1 convolution, then global average pooling. The real package is ImageModelTests'.
/// </summary>
public sealed class ImageInstallTests : IDisposable
{
    // The 1 × 1 convolution from RGB to 4 features, kernel[channel][feature], and its bias.
    private static readonly float[][] Kernel = [[1, 0, 0, 0.5f], [0, 1, 0, 0.5f], [0, 0, 1, 0.5f]];
    private static readonly float[] Bias = [0.1f, -0.1f, 0.05f, 0];

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_layers_model_in_script_bundles_installs_as_the_image_model_and_embeds_in_its_own_space()
    {
        var paths = new QuiverPaths(_folder.File("home"));
        var package = WritePackage();
        var entry = ModelCatalogue.Find(ModelCatalogue.DefaultImageModel)! with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(package))) };

        var manifest = await new ModelInstaller(paths).InstallAsync(entry, force: false, package, null, CancellationToken.None);

        Assert.Equal(ImageModel.Kind, manifest.Kind);
        Assert.Equal(4, manifest.Dimensions);
        Assert.Equal($"npm:nsfwjs@4.3.0 sha256:{entry.Sha256}", manifest.Source);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(paths.Home, "tmp")));
        var model = InstalledModels.OpenImage(paths, ModelCatalogue.DefaultImageModel);
        Assert.Equal(ImagePreprocessingOptions.NsfwjsMobileNetV2.PixelDivisor, model.Preprocessing.PixelDivisor);
        Assert.Equal(ImagePreprocessingOptions.NsfwjsMobileNetV2.Width, model.Preprocessing.Width);
        using var generator = model.CreateGenerator(threads: 1, batchSize: 2);
        Assert.Equal("mobilenet-v2/image", generator.GetService<EmbeddingSpace>()!.ModelId);

        using var red = ImageFixtures.Bitmap(40, 30, (_, _) => new SKColor(200, 30, 30));
        using var stripes = ImageFixtures.Bitmap(64, 64, (x, _) => x % 8 < 4 ? SKColors.Black : SKColors.White);
        DataContent[] images =
        [
            new(ImageFixtures.Png(red), "image/png") { Name = "red.png" },
            new(ImageFixtures.Jpeg(stripes), "image/jpeg") { Name = "stripes.jpg" },
            new(ImageFixtures.Png(red), "image/png") { Name = "red-again.png" },
        ];
        var embeddings = await generator.GenerateAsync(images);

        // A one-colour picture stays one colour whatever the resize, so its vector is the model's output for that colour,
        // normalised; within 3e-4, as ONNX Runtime averages 224 × 224 values in float32 (5e-5 off here). A lost ÷255, a
        // channel swap or a wrong kernel layout are off by far more.
        var expected = Features(200 / 255f, 30 / 255f, 30 / 255f);
        var norm = Math.Sqrt(expected.Sum(v => v * v));
        Assert.All(expected.Zip(embeddings[0].Vector.ToArray()), pair => Assert.Equal(pair.First / norm, pair.Second, 3e-4));
        Assert.Equal(40, embeddings[0].AdditionalProperties!["width"]);
        Assert.Equal("JPEG", embeddings[1].AdditionalProperties!["format"]);
        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[2].Vector.ToArray());
        Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span) < 0.99);

        var error = await Assert.ThrowsAsync<ImageDecodeException>(() => generator.GenerateAsync([new DataContent(new byte[] { 1, 2, 3 }, "image/png") { Name = "broken.png" }]));
        Assert.Contains("broken.png", error.Message, StringComparison.Ordinal);
        Assert.Throws<QuiverException>(() => InstalledModels.OpenTextGenerator(paths, ModelCatalogue.DefaultImageModel));
    }

    private static double[] Features(float r, float g, float b) =>
        [.. Enumerable.Range(0, Bias.Length).Select(f => ((double)r * Kernel[0][f]) + ((double)g * Kernel[1][f]) + ((double)b * Kernel[2][f]) + Bias[f])];

    // An npm-style tarball (gzip over tar, every file under "package/") with nsfwjs's layout.
    private string WritePackage()
    {
        using var model = new TfJsLayersModelFixture();
        var input = model.Input("input", 224, 224, 3);
        var config = new JsonObject
        {
            ["filters"] = Bias.Length,
            ["kernel_size"] = new JsonArray(1, 1),
            ["strides"] = new JsonArray(1, 1),
            ["padding"] = "valid",
            ["data_format"] = "channels_last",
            ["dilation_rate"] = new JsonArray(1, 1),
            ["activation"] = "linear",
            ["use_bias"] = true,
        };
        var conv = model.Layer("conv", "Conv2D", config, input);
        model.Weight("conv", "kernel", [.. Kernel.SelectMany(row => row)], 1, 1, 3, Bias.Length);
        model.Weight("conv", "bias", Bias, Bias.Length);
        model.Layer("pool", "GlobalAveragePooling2D", [], conv);
        var bundles = _folder.File("bundles");
        model.SaveScriptBundles(bundles);

        var path = _folder.File("nsfwjs-4.3.0.tgz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false);
        Add(tar, "package/package.json", Encoding.UTF8.GetBytes("""{"name":"nsfwjs","version":"4.3.0"}"""));
        foreach (var name in new[] { "model.min.js", "group1-shard1of1.min.js" })
        {
            Add(tar, "package/dist/models/mobilenet_v2/" + name, File.ReadAllBytes(Path.Combine(bundles, name)));
        }

        return path;
    }

    private static void Add(TarWriter tar, string name, byte[] content)
    {
        using var data = new MemoryStream(content);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data });
    }
}
