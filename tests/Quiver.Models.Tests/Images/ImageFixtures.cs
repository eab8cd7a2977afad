using System.Buffers.Binary;
using SkiaSharp;

namespace Quiver.Models.Tests.Images;

/// <summary>Small images built in memory: SkiaSharp encodes PNG, JPEG and WebP; BMP and GIF are written by hand.</summary>
internal static class ImageFixtures
{
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> colour)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, colour(x, y));
            }
        }

        return bitmap;
    }

    public static byte[] Png(SKBitmap bitmap)
    {
        using var data = bitmap.PeekPixels().Encode(SKPngEncoderOptions.Default);
        return data?.ToArray() ?? throw new InvalidOperationException("SkiaSharp could not encode the fixture.");
    }

    public static byte[] Jpeg(SKBitmap bitmap)
    {
        using var data = bitmap.PeekPixels().Encode(SKEncodedImageFormat.Jpeg, 100);
        return data?.ToArray() ?? throw new InvalidOperationException("SkiaSharp could not encode the fixture.");
    }

    public static byte[] LosslessWebp(SKBitmap bitmap)
    {
        using var data = bitmap.PeekPixels().Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100));
        return data?.ToArray() ?? throw new InvalidOperationException("SkiaSharp could not encode the fixture.");
    }

    /// <summary>An uncompressed 24-bit BMP: bottom-up BGR rows padded to 4 bytes.</summary>
    public static byte[] Bmp(int width, int height, Func<int, int, SKColor> colour)
    {
        var rowBytes = (width * 3 + 3) & ~3;
        var bytes = new byte[54 + rowBytes * height];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), rowBytes * height);
        for (var y = 0; y < height; y++)
        {
            var row = 54 + (height - 1 - y) * rowBytes;
            for (var x = 0; x < width; x++)
            {
                var c = colour(x, y);
                bytes[row + x * 3] = c.Blue;
                bytes[row + x * 3 + 1] = c.Green;
                bytes[row + x * 3 + 2] = c.Red;
            }
        }

        return bytes;
    }

    /// <summary>
    /// A GIF87a with a 4-colour palette. The LZW stream sends a clear code before every two pixels, so the code
    /// table never grows and every code stays 3 bits wide.
    /// </summary>
    public static byte[] Gif(int width, int height, SKColor[] palette, Func<int, int, int> index)
    {
        var bytes = new List<byte>("GIF87a"u8.ToArray());
        AddLittleEndian(bytes, width);
        AddLittleEndian(bytes, height);
        bytes.AddRange([0x81, 0, 0]);
        foreach (var c in palette)
        {
            bytes.AddRange([c.Red, c.Green, c.Blue]);
        }

        bytes.Add(0x2C);
        AddLittleEndian(bytes, 0);
        AddLittleEndian(bytes, 0);
        AddLittleEndian(bytes, width);
        AddLittleEndian(bytes, height);
        bytes.Add(0);
        bytes.Add(2);

        const int Clear = 4;
        const int End = 5;
        var codes = new List<int>();
        for (var i = 0; i < width * height; i++)
        {
            if (i % 2 == 0)
            {
                codes.Add(Clear);
            }

            codes.Add(index(i % width, i / width));
        }

        codes.Add(End);
        var packed = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var code in codes)
        {
            buffer |= code << bits;
            bits += 3;
            while (bits >= 8)
            {
                packed.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }

        if (bits > 0)
        {
            packed.Add((byte)buffer);
        }

        foreach (var block in packed.Chunk(255))
        {
            bytes.Add((byte)block.Length);
            bytes.AddRange(block);
        }

        bytes.Add(0);
        bytes.Add(0x3B);
        return [.. bytes];
    }

    /// <summary>Inserts an APP1 Exif segment holding only an Orientation tag right after the JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,
            0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0,
            0, 0, 0, 0,
        ];
        var segment = new List<byte> { 0xFF, 0xE1 };
        var length = 2 + 6 + tiff.Length;
        segment.Add((byte)(length >> 8));
        segment.Add((byte)length);
        segment.AddRange("Exif\0\0"u8.ToArray());
        segment.AddRange(tiff);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    private static void AddLittleEndian(List<byte> bytes, int value)
    {
        bytes.Add((byte)value);
        bytes.Add((byte)(value >> 8));
    }
}
