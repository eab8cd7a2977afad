namespace Quiver.Models.Images;

/// <summary>What an encoded image holds, read from its header without decoding the pixels.</summary>
/// <param name="Width">Width as displayed, after the EXIF orientation is applied.</param>
/// <param name="Height">Height as displayed, after the EXIF orientation is applied.</param>
/// <param name="Format">The container format: PNG, JPEG, GIF, BMP or WebP.</param>
/// <param name="HasAlpha">Whether the file can hold transparent pixels (it may still have none).</param>
/// <param name="Orientation">The EXIF orientation, 1 (as stored) to 8; 1 when the file has none.</param>
public sealed record ImageInfo(int Width, int Height, string Format, bool HasAlpha, int Orientation);
