using Quiver.Core;

namespace Quiver.Models.Images;

/// <summary>An image file is empty, corrupt, truncated or in a format Quiver does not decode.</summary>
public sealed class ImageDecodeException : QuiverException
{
    public ImageDecodeException(string message)
        : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
