using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Pooling;

namespace Quiver.Models;

/// <summary>
/// Matryoshka truncation, the one place it is written: models trained for it keep their meaning in the leading
/// dimensions, so the first N of a vector are a vector of N dimensions, renormalised when the model's are unit length.
/// </summary>
public static class Matryoshka
{
    /// <summary>
    /// The first <paramref name="dimensions"/> values of <paramref name="vector"/>, renormalised when
    /// <paramref name="normalize"/> (the model's vectors are unit length); the vector itself, untouched, when it is
    /// no longer than that.
    /// </summary>
    public static float[] Shorten(float[] vector, int dimensions, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (dimensions >= vector.Length)
        {
            return vector;
        }

        var shorter = vector[..dimensions];
        if (normalize)
        {
            TokenPooling.Normalize(shorter);
        }

        return shorter;
    }

    /// <summary>
    /// The size one call asks for, checked against <paramref name="space"/>: from 1 to its dimensions for an encoder
    /// whose vectors can be shortened (<paramref name="shortens"/>), exactly its dimensions otherwise.
    /// </summary>
    public static int Requested(EmbeddingSpace space, TextEncodeOptions? options, bool shortens)
    {
        ArgumentNullException.ThrowIfNull(space);
        var dimensions = options?.Dimensions ?? space.Dimensions;
        if (shortens && (dimensions < 1 || dimensions > space.Dimensions))
        {
            throw new QuiverException(
                $"{space.ModelId} gives {space.Dimensions}-dimensional vectors; Dimensions {dimensions} must be from 1 to {space.Dimensions}.");
        }

        if (!shortens && dimensions != space.Dimensions)
        {
            throw new QuiverException(
                $"{space.ModelId} produces {space.Dimensions}-dimensional vectors and cannot give {dimensions}. Leave Dimensions unset.");
        }

        return dimensions;
    }
}
