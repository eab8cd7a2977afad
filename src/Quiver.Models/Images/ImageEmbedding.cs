namespace Quiver.Models.Images;

/// <summary>One image's unit-length vector and what the decoder found (size before resizing, format, orientation).</summary>
public sealed record ImageEmbedding(float[] Vector, ImageInfo Info);
