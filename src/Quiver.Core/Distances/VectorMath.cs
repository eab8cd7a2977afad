using System.Numerics.Tensors;

namespace Quiver.Core.Distances;

/// <summary>
/// Distances and normalisation on spans. Inputs are checked: mismatched lengths, NaN and infinite components, and
/// zero vectors where the result would be undefined raise <see cref="InvalidVectorException"/>.
/// </summary>
public static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckPair(a, b);
        return TensorPrimitives.Dot(a, b);
    }

    /// <summary>Cosine similarity. Undefined (and refused) when either vector has zero length.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckPair(a, b);
        var na = TensorPrimitives.Norm(a);
        var nb = TensorPrimitives.Norm(b);
        if (na == 0 || nb == 0)
        {
            throw new InvalidVectorException(
                $"Cosine similarity is undefined for a zero vector (the {(na == 0 ? "first" : "second")} vector has length 0). " +
                "Remove all-zero vectors or use the dot or euclidean metric.");
        }

        return Math.Clamp(TensorPrimitives.Dot(a, b) / (na * nb), -1f, 1f);
    }

    public static float SquaredEuclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckPair(a, b);
        var d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    public static float Euclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckPair(a, b);
        return TensorPrimitives.Distance(a, b);
    }

    public static float Norm(ReadOnlySpan<float> v)
    {
        CheckFinite(v, nameof(v));
        return TensorPrimitives.Norm(v);
    }

    /// <summary>Scales <paramref name="v"/> to unit length in place.</summary>
    public static void Normalize(Span<float> v) => Normalize(v, v);

    /// <summary>Writes <paramref name="source"/> scaled to unit length into <paramref name="destination"/>.</summary>
    public static void Normalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length != source.Length)
        {
            throw new InvalidVectorException(
                $"The destination has {destination.Length} components but the source has {source.Length}; pass a destination of the same length.");
        }

        var norm = Norm(source);
        if (norm == 0)
        {
            throw new InvalidVectorException(
                "Cannot normalise a zero vector: it has no direction. Check the input that produced it.");
        }

        TensorPrimitives.Divide(source, norm, destination);
    }

    /// <summary>
    /// The score of <paramref name="b"/> against <paramref name="a"/> under <paramref name="metric"/>: a similarity
    /// for cosine and dot, a distance for Euclidean.
    /// </summary>
    public static float Score(DistanceMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => metric switch
    {
        DistanceMetric.Cosine => Cosine(a, b),
        DistanceMetric.Dot => Dot(a, b),
        DistanceMetric.Euclidean => Euclidean(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown distance metric."),
    };

    /// <summary>Hamming distance between two bit-packed vectors of equal byte length.</summary>
    public static int Hamming(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new InvalidVectorException(
                $"Bit vectors differ in length: {a.Length} bytes and {b.Length} bytes. Pack both from vectors of the same dimension.");
        }

        return (int)TensorPrimitives.HammingBitDistance<byte>(a, b);
    }

    /// <summary>Throws when any component is NaN or infinite, naming the first offending index.</summary>
    public static void CheckFinite(ReadOnlySpan<float> v, string what = "vector")
    {
        // IndexOfAnyExcept over the finite range is not available for floats; one pass, stops at the first bad value.
        for (var i = 0; i < v.Length; i++)
        {
            if (!float.IsFinite(v[i]))
            {
                throw new InvalidVectorException(
                    $"The {what} has a {(float.IsNaN(v[i]) ? "NaN" : "infinite")} component at index {i} ({v[i]}). " +
                    "Every component must be a finite number.");
            }
        }
    }

    private static void CheckPair(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new InvalidVectorException(
                $"Vectors differ in dimension: {a.Length} and {b.Length}. Compare vectors from the same embedding space.");
        }

        if (a.Length == 0)
        {
            throw new InvalidVectorException("The vectors are empty; a vector needs at least one component.");
        }

        CheckFinite(a, "first vector");
        CheckFinite(b, "second vector");
    }
}
