namespace Quiver.Models.Images;

/// <summary>
/// How an image becomes a model input: an NHWC float32 tensor of <see cref="Height"/> x <see cref="Width"/> x 3 in
/// RGB order, each value <c>(pixel / PixelDivisor - Mean[c]) / Std[c]</c>. Transparent pixels are composited over
/// white and the EXIF orientation is applied before resizing.
/// </summary>
public sealed record ImagePreprocessingOptions
{
    /// <summary>
    /// What nsfwjs 4.3.0 does for its MobileNetV2 model (dist/cjs/core.js, <c>NSFWJS.infer</c>): pixels divided by
    /// 255, then <c>tf.image.resizeBilinear(img, [224, 224], alignCorners = true)</c> (half-pixel centres off)
    /// straight to 224 x 224 with no crop, skipped when the image is already that size; no mean or std.
    /// </summary>
    public static ImagePreprocessingOptions NsfwjsMobileNetV2 { get; } = new()
    {
        Width = 224,
        Height = 224,
        ResizeMode = ResizeMode.Stretch,
        ResizeFilter = ResizeFilter.TensorFlowBilinear,
        AlignCorners = true,
        HalfPixelCenters = false,
        PixelDivisor = 255f,
        Mean = [0f, 0f, 0f],
        Std = [1f, 1f, 1f],
    };

    /// <summary>Width of the model input in pixels.</summary>
    public int Width { get; init; } = 224;

    /// <summary>Height of the model input in pixels.</summary>
    public int Height { get; init; } = 224;

    public ResizeMode ResizeMode { get; init; } = ResizeMode.Stretch;

    /// <summary>
    /// For <see cref="ResizeMode.ShorterSideThenCenterCrop"/>: the share of the resized image the crop keeps along
    /// its shorter side, 0.875 giving the usual 256-then-224.
    /// </summary>
    public double CropFraction { get; init; } = 0.875;

    public ResizeFilter ResizeFilter { get; init; } = ResizeFilter.Skia;

    /// <summary>TensorFlow's <c>align_corners</c>; only for <see cref="ResizeFilter.TensorFlowBilinear"/>.</summary>
    public bool AlignCorners { get; init; }

    /// <summary>TensorFlow's <c>half_pixel_centers</c>; only for <see cref="ResizeFilter.TensorFlowBilinear"/>.</summary>
    public bool HalfPixelCenters { get; init; }

    /// <summary>
    /// Each 0-255 channel value is divided by this; a division rather than a multiplication by 1/255 so the result
    /// matches references that divide (tf.div, torchvision's ToTensor) to the last bit.
    /// </summary>
    public float PixelDivisor { get; init; } = 255f;

    /// <summary>Per-channel mean, in R, G, B order, subtracted after the division.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0f, 0f, 0f];

    /// <summary>Per-channel standard deviation, in R, G, B order, divided by last.</summary>
    public IReadOnlyList<float> Std { get; init; } = [1f, 1f, 1f];
}
