using Quiver.Core;

namespace Quiver.Analysis.Projection;

/// <summary>The checks every projection makes before it starts, so bad input fails at once with a useful message.</summary>
internal static class ProjectionInput
{
    /// <summary>Returns the vectors' dimension count after checking they are at least <paramref name="minimum"/>, of one length, and finite.</summary>
    public static int Check(IReadOnlyList<float[]> vectors, int minimum, string why)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count < minimum)
        {
            throw new QuiverException($"{why} needs at least {minimum} vectors; got {vectors.Count}. Give more points or a smaller neighbourhood.");
        }

        var dimensions = vectors[0].Length;
        if (dimensions == 0)
        {
            throw new QuiverException("The vectors have no components; give vectors with at least one dimension.");
        }

        for (var i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            if (v.Length != dimensions)
            {
                throw new QuiverException(
                    $"Vector {i} has {v.Length} dimensions but vector 0 has {dimensions}; project vectors from one embedding space only.");
            }

            foreach (var x in v)
            {
                if (!float.IsFinite(x))
                {
                    throw new QuiverException($"Vector {i} holds {x}; remove vectors with NaN or infinite components.");
                }
            }
        }

        return dimensions;
    }
}
