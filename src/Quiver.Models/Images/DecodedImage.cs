namespace Quiver.Models.Images;

/// <summary>Opaque RGBA8888 pixels, upright (EXIF orientation applied), row-major with no row padding.</summary>
internal sealed record DecodedImage(byte[] Rgba, int Width, int Height);
