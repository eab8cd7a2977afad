using Quiver.Core;
using Quiver.Models.Images;
using SkiaSharp;

namespace Quiver.Models.Tests.Images;

public sealed class ImagePreprocessorTests
{
    private static readonly SKColor Red = new(255, 0, 0);
    private static readonly SKColor Green = new(0, 255, 0);
    private static readonly SKColor Blue = new(0, 0, 255);
    private static readonly SKColor Yellow = new(255, 255, 0);
    private static readonly SKColor[] Quadrants = [Red, Green, Blue, Yellow];

    // 2 x 2: red, green / blue, yellow.
    private static SKColor Quadrant(int x, int y, int width, int height) =>
        Quadrants[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)];

    private static ImagePreprocessor RawBytes(int width, int height) =>
        new(new ImagePreprocessingOptions { Width = width, Height = height, PixelDivisor = 1f });

    private static SKColor At(float[] output, int width, int x, int y)
    {
        var i = (y * width + x) * 3;
        return new SKColor((byte)Math.Round(output[i]), (byte)Math.Round(output[i + 1]), (byte)Math.Round(output[i + 2]));
    }

    private static void AssertColour(SKColor expected, SKColor actual, int tolerance = 0)
    {
        Assert.True(
            Math.Abs(expected.Red - actual.Red) <= tolerance && Math.Abs(expected.Green - actual.Green) <= tolerance
                && Math.Abs(expected.Blue - actual.Blue) <= tolerance,
            $"expected {expected} but got {actual} (tolerance {tolerance})");
    }

    private static void AssertQuadrants(float[] output, int width, int height, SKColor[] expected, int tolerance)
    {
        AssertColour(expected[0], At(output, width, width / 4, height / 4), tolerance);
        AssertColour(expected[1], At(output, width, width * 3 / 4, height / 4), tolerance);
        AssertColour(expected[2], At(output, width, width / 4, height * 3 / 4), tolerance);
        AssertColour(expected[3], At(output, width, width * 3 / 4, height * 3 / 4), tolerance);
    }

    [Fact]
    public void Png_and_lossless_webp_decode_exactly()
    {
        using var bitmap = ImageFixtures.Bitmap(2, 2, (x, y) => Quadrant(x, y, 2, 2));
        var preprocessor = RawBytes(2, 2);
        foreach (var encoded in new[] { ImageFixtures.Png(bitmap), ImageFixtures.LosslessWebp(bitmap) })
        {
            var output = preprocessor.Preprocess(encoded, "quadrants");
            Assert.Equal([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0], output);
        }

        Assert.Equal("WebP", ImagePreprocessor.Probe(ImageFixtures.LosslessWebp(bitmap), "q.webp").Format);
    }

    [Fact]
    public void Jpeg_decodes_within_compression_tolerance()
    {
        using var bitmap = ImageFixtures.Bitmap(32, 32, (x, y) => Quadrant(x, y, 32, 32));
        var jpeg = ImageFixtures.Jpeg(bitmap);
        Assert.Equal("JPEG", ImagePreprocessor.Probe(jpeg, "q.jpg").Format);
        AssertQuadrants(RawBytes(32, 32).Preprocess(jpeg, "q.jpg"), 32, 32, Quadrants, tolerance: 12);
    }

    [Fact]
    public void Hand_written_bmp_decodes_exactly()
    {
        var bmp = ImageFixtures.Bmp(2, 2, (x, y) => Quadrant(x, y, 2, 2));
        Assert.Equal(new ImageInfo(2, 2, "BMP", false, 1), ImagePreprocessor.Probe(bmp, "q.bmp"));
        Assert.Equal([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0], RawBytes(2, 2).Preprocess(bmp, "q.bmp"));
    }

    [Fact]
    public void Hand_written_palette_gif_decodes_exactly()
    {
        var gif = ImageFixtures.Gif(3, 2, Quadrants, (x, y) => (x + y * 3) % 4);
        Assert.Equal("GIF", ImagePreprocessor.Probe(gif, "p.gif").Format);
        var output = RawBytes(3, 2).Preprocess(gif, "p.gif");
        for (var i = 0; i < 6; i++)
        {
            AssertColour(Quadrants[i % 4], At(output, 3, i % 3, i / 3));
        }
    }

    [Fact]
    public void Grey_png_gives_equal_channels()
    {
        using var grey = new SKBitmap(new SKImageInfo(2, 1, SKColorType.Gray8, SKAlphaType.Opaque));
        grey.SetPixel(0, 0, new SKColor(37, 37, 37));
        grey.SetPixel(1, 0, new SKColor(200, 200, 200));
        var output = RawBytes(2, 1).Preprocess(ImageFixtures.Png(grey), "grey.png");
        Assert.Equal([37, 37, 37, 200, 200, 200], output);
    }

    [Fact]
    public void Transparent_pixels_are_composited_over_white()
    {
        using var bitmap = ImageFixtures.Bitmap(3, 1, (x, _) => x switch
        {
            0 => new SKColor(255, 0, 0, 0),
            1 => new SKColor(0, 0, 0, 128),
            _ => new SKColor(255, 0, 0, 128),
        });
        var png = ImageFixtures.Png(bitmap);
        Assert.True(ImagePreprocessor.Probe(png, "a.png").HasAlpha);
        var output = RawBytes(3, 1).Preprocess(png, "a.png");
        // round((c * a + 255 * (255 - a)) / 255) with a = 128: 127 for c = 0, 255 for c = 255.
        Assert.Equal([255, 255, 255, 127, 127, 127, 255, 127, 127], output);
    }

    [Theory]
    [InlineData(1, new[] { 0, 1, 2, 3 })]
    [InlineData(2, new[] { 1, 0, 3, 2 })]
    [InlineData(3, new[] { 3, 2, 1, 0 })]
    [InlineData(4, new[] { 2, 3, 0, 1 })]
    [InlineData(5, new[] { 0, 2, 1, 3 })]
    [InlineData(6, new[] { 2, 0, 3, 1 })]
    [InlineData(7, new[] { 3, 1, 2, 0 })]
    [InlineData(8, new[] { 1, 3, 0, 2 })]
    public void Exif_orientation_is_applied(int orientation, int[] displayedQuadrants)
    {
        // Stored 64 x 32: red, green / blue, yellow. The expected lists are the stored quadrants seen at the
        // displayed top-left, top-right, bottom-left and bottom-right (EXIF 6 turns the picture clockwise).
        using var bitmap = ImageFixtures.Bitmap(64, 32, (x, y) => Quadrant(x, y, 64, 32));
        var jpeg = ImageFixtures.WithExifOrientation(ImageFixtures.Jpeg(bitmap), orientation);

        var info = ImagePreprocessor.Probe(jpeg, "o.jpg");
        var transposed = orientation >= 5;
        Assert.Equal(new ImageInfo(transposed ? 32 : 64, transposed ? 64 : 32, "JPEG", false, orientation), info);

        var output = RawBytes(info.Width, info.Height).Preprocess(jpeg, "o.jpg");
        AssertQuadrants(output, info.Width, info.Height, [.. displayedQuadrants.Select(q => Quadrants[q])], 12);
    }

    [Fact]
    public void Stretch_keeps_the_whole_image_and_centre_crop_keeps_the_middle()
    {
        // 40 x 10: red in columns 0-14, blue after.
        using var bitmap = ImageFixtures.Bitmap(40, 10, (x, _) => x < 15 ? Red : Blue);
        var png = ImageFixtures.Png(bitmap);

        var stretched = RawBytes(10, 10).Preprocess(png, "s.png");
        AssertColour(Red, At(stretched, 10, 0, 5));
        AssertColour(Red, At(stretched, 10, 2, 5));
        AssertColour(Blue, At(stretched, 10, 9, 5));

        var crop = new ImagePreprocessor(new ImagePreprocessingOptions
        {
            Width = 10, Height = 10, PixelDivisor = 1f, ResizeMode = ResizeMode.ShorterSideThenCenterCrop,
            CropFraction = 1.0,
        });
        var cropped = crop.Preprocess(png, "s.png");
        for (var x = 0; x < 10; x++)
        {
            AssertColour(Blue, At(cropped, 10, x, 5));
        }

        // With 0.5 the shorter side goes to 20 (80 x 20, red until column 29) and the crop is columns 35-44.
        var half = new ImagePreprocessor(crop.Options with { CropFraction = 0.5 }).Preprocess(png, "s.png");
        Assert.Equal(cropped, half);
    }

    [Fact]
    public void Centre_crop_of_a_tall_image_cuts_rows_symmetrically()
    {
        // 10 x 30: top 10 rows red, middle 10 green, bottom 10 blue; the 10 x 10 crop is the green middle.
        using var bitmap = ImageFixtures.Bitmap(10, 30, (_, y) => y < 10 ? Red : y < 20 ? Green : Blue);
        var options = new ImagePreprocessingOptions
        {
            Width = 10, Height = 10, PixelDivisor = 1f, ResizeMode = ResizeMode.ShorterSideThenCenterCrop,
            CropFraction = 1.0,
        };
        var output = new ImagePreprocessor(options).Preprocess(ImageFixtures.Png(bitmap), "tall.png");
        Assert.All(Enumerable.Range(0, 100), i => AssertColour(Green, At(output, 10, i % 10, i / 10)));
    }

    [Fact]
    public void Normalisation_divides_then_subtracts_mean_then_divides_by_std()
    {
        using var bitmap = ImageFixtures.Bitmap(2, 2, (_, _) => new SKColor(10, 128, 250));
        float[] mean = [0.485f, 0.456f, 0.406f];
        float[] std = [0.229f, 0.224f, 0.225f];
        var preprocessor = new ImagePreprocessor(new ImagePreprocessingOptions
        {
            Width = 2, Height = 2, Mean = mean, Std = std,
        });
        var output = preprocessor.Preprocess(ImageFixtures.Png(bitmap), "n.png");
        Assert.Equal(12, output.Length);
        for (var i = 0; i < 12; i++)
        {
            var c = i % 3;
            float pixel = c switch { 0 => 10, 1 => 128, _ => 250 };
            Assert.Equal((pixel / 255f - mean[c]) / std[c], output[i]);
        }
    }

    [Fact]
    public void TensorFlow_bilinear_without_align_corners_matches_hand_computed_values()
    {
        // 2 x 2 grey [[0, 10], [20, 30]] to 3 x 3: source coordinate = 2/3 * destination, clamped at the far edge.
        float[] source = [0, 0, 0, 10, 10, 10, 20, 20, 20, 30, 30, 30];
        var destination = new float[27];
        TensorFlowBilinear.Resize(source, 2, 2, destination, 3, 3, 0, 0, 3, 3, alignCorners: false,
            halfPixelCenters: false);
        double[] expected = [0, 20.0 / 3, 10, 40.0 / 3, 20, 70.0 / 3, 20, 80.0 / 3, 30];
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(expected[i], destination[i * 3], 5);
            Assert.Equal(destination[i * 3], destination[i * 3 + 2]);
        }
    }

    [Theory]
    [InlineData(false, new[] { 2f, 2f, 2f, 10f / 3, 10f / 3, 10f / 3, 4f, 4f, 4f })]
    [InlineData(true, new[] { 2f, 2f, 2f, 3f, 3f, 3f, 4f, 4f, 4f })]
    public void TensorFlow_bilinear_matches_tfjs_own_test_vectors(bool alignCorners, float[] expected)
    {
        // tfjs-core/src/ops/resize_bilinear_test.ts: [[2, 2], [4, 4]] resized to 3 x 3.
        float[] source = [2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4];
        var destination = new float[27];
        TensorFlowBilinear.Resize(source, 2, 2, destination, 3, 3, 0, 0, 3, 3, alignCorners, halfPixelCenters: false);
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(expected[i], destination[i * 3], 6);
        }
    }

    [Fact]
    public void TensorFlow_bilinear_with_align_corners_keeps_the_corners()
    {
        float[] source = [0, 0, 0, 10, 10, 10, 20, 20, 20, 30, 30, 30];
        var destination = new float[27];
        TensorFlowBilinear.Resize(source, 2, 2, destination, 3, 3, 0, 0, 3, 3, alignCorners: true,
            halfPixelCenters: false);
        float[] expected = [0, 5, 10, 10, 15, 20, 20, 25, 30];
        Assert.Equal(expected, Enumerable.Range(0, 9).Select(i => destination[i * 3]));
    }

    [Fact]
    public void TensorFlow_bilinear_with_half_pixel_centres_clamps_below_zero()
    {
        float[] source = [0, 0, 0, 10, 10, 10];
        var destination = new float[12];
        TensorFlowBilinear.Resize(source, 2, 1, destination, 4, 1, 0, 0, 4, 1, alignCorners: false,
            halfPixelCenters: true);
        float[] expected = [0, 2.5f, 7.5f, 10];
        Assert.Equal(expected, Enumerable.Range(0, 4).Select(i => destination[i * 3]));
    }

    [Fact]
    public void Nsfwjs_preset_divides_by_255_and_resizes_with_aligned_corners()
    {
        var preset = ImagePreprocessingOptions.NsfwjsMobileNetV2;
        Assert.Equal((224, 224, ResizeMode.Stretch, ResizeFilter.TensorFlowBilinear, true, false, 255f),
            (preset.Width, preset.Height, preset.ResizeMode, preset.ResizeFilter, preset.AlignCorners,
                preset.HalfPixelCenters, preset.PixelDivisor));

        using var bitmap = ImageFixtures.Bitmap(2, 2, (x, y) => Quadrant(x, y, 2, 2));
        var output = new ImagePreprocessor(preset).Preprocess(ImageFixtures.Png(bitmap), "q.png");
        Assert.Equal(224 * 224 * 3, output.Length);
        // Aligned corners put the four source pixels exactly on the four output corners.
        Assert.Equal([1f, 0f, 0f], output[..3]);
        Assert.Equal([0f, 1f, 0f], output[(223 * 3)..(224 * 3)]);
        Assert.Equal([0f, 0f, 1f], output[(223 * 224 * 3)..(223 * 224 * 3 + 3)]);
        Assert.Equal([1f, 1f, 0f], output[^3..]);
        // The centre row and column blend all four halves: (0 + 1 + 0 + 1) / 4 in red at the exact middle.
        var middle = output[((111 * 224) + 111) * 3];
        Assert.InRange(middle, 0.49f, 0.51f);
    }

    [Fact]
    public void Nsfwjs_preset_passes_a_224_image_through_unresized()
    {
        using var bitmap = ImageFixtures.Bitmap(224, 224, (x, y) => new SKColor((byte)x, (byte)y, 7));
        var output = new ImagePreprocessor(ImagePreprocessingOptions.NsfwjsMobileNetV2)
            .Preprocess(ImageFixtures.Png(bitmap), "224.png");
        var i = ((100 * 224) + 50) * 3;
        Assert.Equal([50 / 255f, 100 / 255f, 7 / 255f], output[i..(i + 3)]);
    }

    [Fact]
    public void Preprocess_writes_into_a_caller_span_and_reads_files()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("q.png");
        using var bitmap = ImageFixtures.Bitmap(2, 2, (x, y) => Quadrant(x, y, 2, 2));
        File.WriteAllBytes(path, ImageFixtures.Png(bitmap));
        var preprocessor = RawBytes(2, 2);

        var destination = new float[20];
        preprocessor.Preprocess(path, destination);
        Assert.Equal(preprocessor.Preprocess(path), destination[..12]);
        Assert.All(destination[12..], v => Assert.Equal(0f, v));
        var info = ImagePreprocessor.Probe(path);
        Assert.Equal((2, 2, "PNG", 1), (info.Width, info.Height, info.Format, info.Orientation));

        var error = Assert.Throws<ArgumentException>(() => preprocessor.Preprocess(path, new float[11]));
        Assert.Contains("11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_instance_serves_many_threads()
    {
        using var bitmap = ImageFixtures.Bitmap(20, 12, (x, y) => new SKColor((byte)(x * 12), (byte)(y * 20), 99));
        var png = ImageFixtures.Png(bitmap);
        var preprocessor = new ImagePreprocessor(new ImagePreprocessingOptions { Width = 7, Height = 5 });
        var expected = preprocessor.Preprocess(png, "t.png");
        Parallel.For(0, 64, _ => Assert.Equal(expected, preprocessor.Preprocess(png, "t.png")));
    }

    [Fact]
    public void Empty_file_names_the_file()
    {
        var error = Assert.Throws<ImageDecodeException>(() => RawBytes(2, 2).Preprocess([], "photos/empty.png"));
        Assert.IsAssignableFrom<QuiverException>(error);
        Assert.Contains("photos/empty.png", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_file_names_the_file_and_the_supported_formats()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("notes.jpg");
        File.WriteAllText(path, "these are not the pixels you are looking for");
        var error = Assert.Throws<ImageDecodeException>(() => RawBytes(2, 2).Preprocess(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("PNG, JPEG, GIF (first frame), BMP and WebP", error.Message, StringComparison.Ordinal);
        Assert.Throws<ImageDecodeException>(() => ImagePreprocessor.Probe(path));
    }

    [Fact]
    public void Truncated_png_names_the_file_and_says_truncated()
    {
        using var bitmap = ImageFixtures.Bitmap(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)));
        var png = ImageFixtures.Png(bitmap);
        var error = Assert.Throws<ImageDecodeException>(
            () => RawBytes(2, 2).Preprocess(png.AsSpan(0, png.Length / 2), "cut.png"));
        Assert.Contains("cut.png", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_jpeg_names_the_file()
    {
        using var bitmap = ImageFixtures.Bitmap(32, 32, (x, y) => Quadrant(x, y, 32, 32));
        var jpeg = ImageFixtures.Jpeg(bitmap);
        var random = new Random(5);
        // Keep the SOI marker and the first segment's marker so it still looks like a JPEG; scramble the rest.
        var corrupt = jpeg.ToArray();
        for (var i = 4; i < corrupt.Length; i++)
        {
            corrupt[i] = (byte)random.Next(256);
        }

        var error = Assert.Throws<ImageDecodeException>(() => RawBytes(2, 2).Preprocess(corrupt, "bad.jpg"));
        Assert.Contains("bad.jpg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_say_what_to_set()
    {
        var error = Assert.Throws<QuiverException>(() => new ImagePreprocessor(new ImagePreprocessingOptions
        {
            Mean = [0.5f],
        }));
        Assert.Contains("3", error.Message, StringComparison.Ordinal);
        Assert.Throws<QuiverException>(() => new ImagePreprocessor(new ImagePreprocessingOptions { AlignCorners = true }));
        Assert.Throws<QuiverException>(() => new ImagePreprocessor(new ImagePreprocessingOptions { Std = [1f, 0f, 1f] }));
    }
}
