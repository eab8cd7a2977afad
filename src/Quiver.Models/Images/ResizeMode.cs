namespace Quiver.Models.Images;

/// <summary>How an image of any shape is brought to the model's input size.</summary>
public enum ResizeMode
{
    /// <summary>Resize straight to the target width and height; the aspect ratio is not kept.</summary>
    Stretch,

    /// <summary>
    /// Resize so the image covers the target scaled up by 1 / <see cref="ImagePreprocessingOptions.CropFraction"/>
    /// (224 / 0.875 = 256 on the shorter side), keeping the aspect ratio, then cut the centre out at the target size.
    /// </summary>
    ShorterSideThenCenterCrop,
}
