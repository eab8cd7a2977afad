using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Images;
using Quiver.Models.Tests.Import;
using SkiaSharp;

namespace Quiver.Models.Tests.Images;

/// <summary>quiver models install mobilenet-v2 end to end, and the image generator over it.</summary>
[Trait("Needs", "npm")]
public sealed class ImageModelTests
{
    [Fact]
    public async Task Installed_mobilenet_embeds_images_in_its_own_space_and_names_a_bad_file()
    {
        using var home = new TemporaryFolder();
        var paths = new QuiverPaths(home.Path);
        var entry = ModelCatalogue.Find(ModelCatalogue.DefaultImageModel)!;
        var manifest = await new ModelInstaller(paths).InstallAsync(entry, force: false, await NsfwJsPackage.GetTarballAsync(), null, CancellationToken.None);
        Assert.Equal(ImageModel.Kind, manifest.Kind);
        Assert.Equal(1280, manifest.Dimensions);

        var model = InstalledModels.OpenImage(paths, ModelCatalogue.DefaultImageModel);
        var expected = ImagePreprocessingOptions.NsfwjsMobileNetV2;
        Assert.Equal((expected.Width, expected.Height, expected.ResizeMode, expected.ResizeFilter, expected.AlignCorners, expected.PixelDivisor),
            (model.Preprocessing.Width, model.Preprocessing.Height, model.Preprocessing.ResizeMode, model.Preprocessing.ResizeFilter, model.Preprocessing.AlignCorners, model.Preprocessing.PixelDivisor));
        Assert.Equal(expected.Mean, model.Preprocessing.Mean);
        using var generator = model.CreateGenerator(threads: 1, batchSize: 2);
        var space = generator.GetService<EmbeddingSpace>()!;
        Assert.Equal("mobilenet-v2/image", space.ModelId);

        using var red = ImageFixtures.Bitmap(40, 30, (_, _) => new SKColor(200, 30, 30));
        using var stripes = ImageFixtures.Bitmap(64, 64, (x, _) => x % 8 < 4 ? SKColors.Black : SKColors.White);
        DataContent[] images =
        [
            new(ImageFixtures.Png(red), "image/png") { Name = "red.png" },
            new(ImageFixtures.Jpeg(stripes), "image/jpeg") { Name = "stripes.jpg" },
            new(ImageFixtures.Png(red), "image/png") { Name = "red-again.png" },
        ];
        var embeddings = await generator.GenerateAsync(images);
        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Vector.ToArray().Sum(v => (double)v * v)), 4));
        Assert.Equal(40, embeddings[0].AdditionalProperties!["width"]);
        Assert.Equal("JPEG", embeddings[1].AdditionalProperties!["format"]);

        // Batches of two: the third image is embedded alone and must equal the first, the same picture.
        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[2].Vector.ToArray());
        Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span) < 0.99);

        var error = await Assert.ThrowsAsync<ImageDecodeException>(() => generator.GenerateAsync([new DataContent(new byte[] { 1, 2, 3 }, "image/png") { Name = "broken.png" }]));
        Assert.Contains("broken.png", error.Message);
        Assert.Throws<QuiverException>(() => InstalledModels.OpenTextGenerator(paths, ModelCatalogue.DefaultImageModel));
    }
}
