namespace Quiver.Models.Images;

/// <summary>Which bilinear resampling is used; the two place their sample points differently.</summary>
public enum ResizeFilter
{
    /// <summary>
    /// SkiaSharp's <c>SKPixmap.ScalePixels</c> with <c>SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)</c>
    /// on 8-bit RGBA: half-pixel centres, edge pixels clamped, results rounded back to bytes before normalising.
    /// </summary>
    Skia,

    /// <summary>
    /// TensorFlow's <c>tf.image.resizeBilinear</c> as its CPU kernel computes it, on float pixels already divided
    /// by <see cref="ImagePreprocessingOptions.PixelDivisor"/>; <see cref="ImagePreprocessingOptions.AlignCorners"/>
    /// and <see cref="ImagePreprocessingOptions.HalfPixelCenters"/> choose the variant. Use it to reproduce models
    /// trained or served through TensorFlow or TensorFlow.js.
    /// </summary>
    TensorFlowBilinear,
}
