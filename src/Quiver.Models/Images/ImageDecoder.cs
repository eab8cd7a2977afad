using System.Runtime.InteropServices;
using SkiaSharp;

namespace Quiver.Models.Images;

/// <summary>
/// Decodes through SKCodec, which does not apply EXIF orientation or composite alpha itself; both are done here so
/// every format goes through one well-defined path.
/// </summary>
internal static class ImageDecoder
{
    internal const string SupportedFormats = "PNG, JPEG, GIF (first frame), BMP and WebP";

    // Keeps a hostile header (a 65535 x 65535 PNG is 17 GB of RGBA) from allocating more than an array can hold.
    private const long MaxPixels = int.MaxValue / 4;

    public static ImageInfo Probe(ReadOnlySpan<byte> encoded, string name)
    {
        using var codec = Open(encoded, name);
        var info = codec.Info;
        var (width, height) = IsTransposed(codec.EncodedOrigin) ? (info.Height, info.Width) : (info.Width, info.Height);
        return new ImageInfo(width, height, FormatName(codec.EncodedFormat), info.AlphaType != SKAlphaType.Opaque,
            (int)codec.EncodedOrigin);
    }

    public static DecodedImage Decode(ReadOnlySpan<byte> encoded, string name)
    {
        using var codec = Open(encoded, name);
        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
        {
            throw new ImageDecodeException(
                $"Image '{name}' declares {width} x {height} pixels, which is empty or larger than the " +
                $"{MaxPixels} pixels Quiver decodes; resize it before embedding.");
        }

        var pixels = new byte[width * height * 4];
        var target = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        SKCodecResult result;
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            // Frame 0 by default, which is what a GIF's first frame means here.
            result = codec.GetPixels(target, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }

        if (result != SKCodecResult.Success)
        {
            var problem = result switch
            {
                SKCodecResult.IncompleteInput => "is truncated (the file ends before all pixels are decoded)",
                SKCodecResult.ErrorInInput => "is corrupt (its pixel data could not be decoded)",
                _ => $"could not be decoded ({result})",
            };
            throw new ImageDecodeException(
                $"Image '{name}' ({FormatName(codec.EncodedFormat)}) {problem}; re-export or replace the file.");
        }

        CompositeOverWhite(pixels);
        return Orient(pixels, width, height, codec.EncodedOrigin);
    }

    private static SKCodec Open(ReadOnlySpan<byte> encoded, string name)
    {
        if (encoded.IsEmpty)
        {
            throw new ImageDecodeException(
                $"Image '{name}' is empty (0 bytes); expected a {SupportedFormats} file.");
        }

        // The codec reads lazily, so it needs bytes that outlive the caller's span: the stream holds its own
        // reference to this copy, and the codec owns the stream (Skia deletes it at once when creation fails).
        using var data = SKData.CreateCopy(encoded);
        var codec = SKCodec.Create(new SKMemoryStream(data), out var result);
        if (codec is null)
        {
            throw new ImageDecodeException(
                $"Image '{name}' ({encoded.Length} bytes) is not a readable image ({result}): it is corrupt, " +
                $"truncated in its header, or in a format Quiver does not decode. Supported: {SupportedFormats}.");
        }

        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg
            or SKEncodedImageFormat.Gif or SKEncodedImageFormat.Bmp or SKEncodedImageFormat.Webp))
        {
            var format = codec.EncodedFormat;
            codec.Dispose();
            throw new ImageDecodeException(
                $"Image '{name}' is {format}, which Quiver does not decode; convert it to one of: {SupportedFormats}.");
        }

        return codec;
    }

    private static string FormatName(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => "PNG",
        SKEncodedImageFormat.Jpeg => "JPEG",
        SKEncodedImageFormat.Gif => "GIF",
        SKEncodedImageFormat.Bmp => "BMP",
        SKEncodedImageFormat.Webp => "WebP",
        _ => format.ToString(),
    };

    private static bool IsTransposed(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    // Integer blend with rounding: c' = round((c * a + 255 * (255 - a)) / 255), exact for a = 0 and a = 255.
    private static void CompositeOverWhite(Span<byte> rgba)
    {
        for (var i = 0; i < rgba.Length; i += 4)
        {
            int alpha = rgba[i + 3];
            if (alpha == 255)
            {
                continue;
            }

            var white = 255 * (255 - alpha);
            rgba[i] = (byte)((rgba[i] * alpha + white + 127) / 255);
            rgba[i + 1] = (byte)((rgba[i + 1] * alpha + white + 127) / 255);
            rgba[i + 2] = (byte)((rgba[i + 2] * alpha + white + 127) / 255);
            rgba[i + 3] = 255;
        }
    }

    // Maps each upright (displayed) pixel back to the stored one; names follow SKEncodedOrigin, which says where
    // stored row 0 and column 0 go (RightTop, EXIF 6: row 0 on the right, so the picture turns 90 degrees clockwise).
    private static DecodedImage Orient(byte[] stored, int width, int height, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return new DecodedImage(stored, width, height);
        }

        var transposed = IsTransposed(origin);
        var outWidth = transposed ? height : width;
        var outHeight = transposed ? width : height;
        var upright = new byte[stored.Length];
        var source = MemoryMarshal.Cast<byte, int>(stored.AsSpan());
        var destination = MemoryMarshal.Cast<byte, int>(upright.AsSpan());
        for (var y = 0; y < outHeight; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, height - 1 - x),
                    SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),
                    SKEncodedOrigin.LeftBottom => (width - 1 - y, x),
                    _ => throw new InvalidOperationException($"Unknown EXIF orientation {(int)origin}."),
                };
                destination[y * outWidth + x] = source[sy * width + sx];
            }
        }

        return new DecodedImage(upright, outWidth, outHeight);
    }
}
