using System.Runtime.InteropServices;
using Quiver.Core;
using SkiaSharp;

namespace Quiver.Models.Images;

/// <summary>
/// Turns encoded images (PNG, JPEG, GIF first frame, BMP, WebP) into model inputs as
/// <see cref="ImagePreprocessingOptions"/> describe. Holds no mutable state, so one instance serves any number of
/// threads.
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly ImagePreprocessingOptions _options;
    private readonly float[] _mean;
    private readonly float[] _std;

    public ImagePreprocessor(ImagePreprocessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _mean = [.. options.Mean];
        _std = [.. options.Std];
    }

    public ImagePreprocessingOptions Options => _options;

    /// <summary>Floats one image takes: height x width x 3.</summary>
    public int OutputLength => _options.Width * _options.Height * 3;

    public static ImageInfo Probe(string path) => ImageDecoder.Probe(File.ReadAllBytes(path), path);

    public static ImageInfo Probe(ReadOnlySpan<byte> encoded, string name) => ImageDecoder.Probe(encoded, name);

    public float[] Preprocess(string path)
    {
        var output = new float[OutputLength];
        Preprocess(path, output);
        return output;
    }

    public void Preprocess(string path, Span<float> destination) =>
        Preprocess(File.ReadAllBytes(path), path, destination);

    /// <param name="encoded">The file's bytes.</param>
    /// <param name="name">What to call the image in errors, such as its path or URL.</param>
    public float[] Preprocess(ReadOnlySpan<byte> encoded, string name)
    {
        var output = new float[OutputLength];
        Preprocess(encoded, name, output);
        return output;
    }

    /// <summary>Writes the NHWC (height, width, RGB) float32 input for one image into the first
    /// <see cref="OutputLength"/> floats of <paramref name="destination"/>.</summary>
    public void Preprocess(ReadOnlySpan<byte> encoded, string name, Span<float> destination)
    {
        if (destination.Length < OutputLength)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} floats but a {_options.Width} x {_options.Height} RGB " +
                $"image needs {OutputLength}; pass a span of at least OutputLength.", nameof(destination));
        }

        var image = ImageDecoder.Decode(encoded, name);
        var output = destination[..OutputLength];
        var (resizedWidth, resizedHeight) = ResizedSize(image.Width, image.Height);
        var cropLeft = (int)Math.Round((resizedWidth - _options.Width) / 2.0);
        var cropTop = (int)Math.Round((resizedHeight - _options.Height) / 2.0);
        if (_options.ResizeFilter == ResizeFilter.TensorFlowBilinear)
        {
            ResizeWithTensorFlow(image, resizedWidth, resizedHeight, cropLeft, cropTop, output);
        }
        else
        {
            ResizeWithSkia(image, resizedWidth, resizedHeight, cropLeft, cropTop, output);
        }
    }

    private (int Width, int Height) ResizedSize(int width, int height)
    {
        if (_options.ResizeMode == ResizeMode.Stretch)
        {
            return (_options.Width, _options.Height);
        }

        // The scale that makes the image just cover the target, enlarged so the crop keeps CropFraction of it; the
        // small epsilon keeps 224 / 0.875 * 100 / 100 from truncating to 255.
        var scale = Math.Max(_options.Width / (double)width, _options.Height / (double)height) / _options.CropFraction;
        var resizedWidth = Math.Max(_options.Width, (int)(width * scale + 1e-6));
        var resizedHeight = Math.Max(_options.Height, (int)(height * scale + 1e-6));
        return (resizedWidth, resizedHeight);
    }

    private void ResizeWithTensorFlow(
        DecodedImage image, int resizedWidth, int resizedHeight, int cropLeft, int cropTop, Span<float> output)
    {
        // Divide first and resize the floats, the order nsfwjs and most TensorFlow pipelines use.
        var scaled = new float[image.Width * image.Height * 3];
        for (int i = 0, j = 0; j < scaled.Length; i += 4, j += 3)
        {
            scaled[j] = image.Rgba[i] / _options.PixelDivisor;
            scaled[j + 1] = image.Rgba[i + 1] / _options.PixelDivisor;
            scaled[j + 2] = image.Rgba[i + 2] / _options.PixelDivisor;
        }

        if (image.Width == _options.Width && image.Height == _options.Height
            && resizedWidth == _options.Width && resizedHeight == _options.Height)
        {
            // nsfwjs skips the resize when the size already matches; for TF's kernel that is the identity anyway.
            scaled.AsSpan(0, output.Length).CopyTo(output);
        }
        else
        {
            TensorFlowBilinear.Resize(scaled, image.Width, image.Height, output, resizedWidth, resizedHeight,
                cropLeft, cropTop, _options.Width, _options.Height, _options.AlignCorners, _options.HalfPixelCenters);
        }

        for (var i = 0; i < output.Length; i += 3)
        {
            output[i] = (output[i] - _mean[0]) / _std[0];
            output[i + 1] = (output[i + 1] - _mean[1]) / _std[1];
            output[i + 2] = (output[i + 2] - _mean[2]) / _std[2];
        }
    }

    private void ResizeWithSkia(
        DecodedImage image, int resizedWidth, int resizedHeight, int cropLeft, int cropTop, Span<float> output)
    {
        byte[] resized;
        if (image.Width == resizedWidth && image.Height == resizedHeight)
        {
            resized = image.Rgba;
        }
        else
        {
            resized = new byte[resizedWidth * resizedHeight * 4];
            var sourceHandle = GCHandle.Alloc(image.Rgba, GCHandleType.Pinned);
            var targetHandle = GCHandle.Alloc(resized, GCHandleType.Pinned);
            try
            {
                using var source = new SKPixmap(
                    new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque),
                    sourceHandle.AddrOfPinnedObject());
                using var target = new SKPixmap(
                    new SKImageInfo(resizedWidth, resizedHeight, SKColorType.Rgba8888, SKAlphaType.Opaque),
                    targetHandle.AddrOfPinnedObject());
                if (!source.ScalePixels(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)))
                {
                    throw new InvalidOperationException(
                        $"SkiaSharp could not resize {image.Width} x {image.Height} to {resizedWidth} x {resizedHeight}.");
                }
            }
            finally
            {
                targetHandle.Free();
                sourceHandle.Free();
            }
        }

        var index = 0;
        for (var y = cropTop; y < cropTop + _options.Height; y++)
        {
            var rowStart = (y * resizedWidth + cropLeft) * 4;
            for (var x = 0; x < _options.Width; x++)
            {
                var pixel = rowStart + x * 4;
                for (var channel = 0; channel < 3; channel++)
                {
                    output[index++] = (resized[pixel + channel] / _options.PixelDivisor - _mean[channel]) / _std[channel];
                }
            }
        }
    }

    private static void Validate(ImagePreprocessingOptions options)
    {
        if (options.Width <= 0 || options.Height <= 0)
        {
            throw new QuiverException(
                $"Image size {options.Width} x {options.Height} is not positive; set Width and Height to the " +
                "model's input size, such as 224.");
        }

        if (options.Mean.Count != 3 || options.Std.Count != 3)
        {
            throw new QuiverException(
                $"Mean has {options.Mean.Count} values and Std {options.Std.Count}; give exactly 3 each, in R, G, B " +
                "order.");
        }

        if (options.Std.Any(s => s == 0f || !float.IsFinite(s)))
        {
            throw new QuiverException(
                $"Std [{string.Join(", ", options.Std)}] has a zero or non-finite value; use 1 for no scaling.");
        }

        if (options.PixelDivisor == 0f || !float.IsFinite(options.PixelDivisor))
        {
            throw new QuiverException(
                $"PixelDivisor {options.PixelDivisor} must be finite and non-zero; use 255 for values in [0, 1] or 1 " +
                "to keep 0-255.");
        }

        if (options.ResizeMode == ResizeMode.ShorterSideThenCenterCrop
            && !(options.CropFraction > 0 && options.CropFraction <= 1))
        {
            throw new QuiverException(
                $"CropFraction {options.CropFraction} must be in (0, 1]; 0.875 resizes to 256 for a 224 crop.");
        }

        if (options.ResizeFilter == ResizeFilter.Skia && (options.AlignCorners || options.HalfPixelCenters))
        {
            throw new QuiverException(
                "AlignCorners and HalfPixelCenters apply only to ResizeFilter.TensorFlowBilinear; Skia always samples " +
                "at half-pixel centres. Set ResizeFilter = TensorFlowBilinear or clear both flags.");
        }

        if (options.AlignCorners && options.HalfPixelCenters)
        {
            throw new QuiverException(
                "AlignCorners and HalfPixelCenters cannot both be true (TensorFlow rejects the pair too); pick one.");
        }
    }
}
