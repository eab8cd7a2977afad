using System.Text.Json;
using SkiaSharp;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>The CLI with the image model: install (npm pack of the pinned nsfwjs), embed --image, index, search --image.</summary>
[Trait("Needs", "npm")]
public sealed class ImageCliTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private static void WritePng(string path, SKColor colour, int stripes)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(48, 32, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < 32; y++)
        {
            for (var x = 0; x < 48; x++)
            {
                bitmap.SetPixel(x, y, stripes > 0 && (x / stripes) % 2 == 0 ? SKColors.White : colour);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }

    [Fact]
    public void Images_are_embedded_indexed_and_searched_by_example()
    {
        var (code, _, error) = _cli.Run("models", "install", "mobilenet-v2");
        Assert.True(code == 0, error);

        var photos = Path.Combine(_cli.Root, "photos");
        Directory.CreateDirectory(photos);
        WritePng(Path.Combine(photos, "red.png"), new SKColor(220, 20, 20), 0);
        WritePng(Path.Combine(photos, "blue-stripes.png"), new SKColor(20, 20, 220), 4);
        WritePng(Path.Combine(photos, "green.png"), new SKColor(20, 200, 20), 0);
        File.WriteAllText(Path.Combine(photos, "broken.png"), "not a picture");

        string output;
        (code, output, error) = _cli.Run("embed", "--image", Path.Combine(photos, "red.png"));
        Assert.True(code == 0, error);
        var embedding = Json(output).GetProperty("embeddings")[0];
        Assert.Equal(48, embedding.GetProperty("width").GetInt32());
        Assert.Equal(1280, embedding.GetProperty("vector").GetArrayLength());

        (code, output, error) = _cli.Run("index", photos, "--collection", "photos", "--model", "mobilenet-v2", "--json");
        Assert.True(code == 0, error);
        var summary = Json(output);
        Assert.Equal(3, summary.GetProperty("images").GetInt32());
        Assert.Equal("broken.png", summary.GetProperty("skipped")[0].GetProperty("path").GetString());

        (code, output, error) = _cli.Run("search", "--image", Path.Combine(photos, "blue-stripes.png"), "--collection", "photos", "-k", "1", "--json");
        Assert.True(code == 0, error);
        var hit = Json(output).GetProperty("hits")[0];
        Assert.Equal("blue-stripes.png", hit.GetProperty("id").GetString());
        Assert.Equal("PNG", hit.GetProperty("payload").GetProperty("format").GetString());

        (code, _, error) = _cli.Run("search", "red things", "--collection", "photos");
        Assert.Equal(1, code);
        Assert.Contains("--image", error);

        (code, _, error) = _cli.Run("embed", "--image", Path.Combine(photos, "broken.png"));
        Assert.Equal(1, code);
        Assert.Contains("broken.png", error);
    }
}
