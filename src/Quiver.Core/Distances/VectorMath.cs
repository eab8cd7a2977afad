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
        var na = (double)TensorPrimitives.Norm(a);
        var nb = (double)TensorPrimitives.Norm(b);
        var dot = (double)TensorPrimitives.Dot(a, b);
        if (!Representable(na, a) || !Representable(nb, b) || !float.IsFinite((float)dot))
        {
            // Squares of components beyond about 1e19 overflow a float and below about 1e-19 vanish; redo in double.
            na = NormInDouble(a);
            nb = NormInDouble(b);
            dot = DotInDouble(a, b);
        }

        if (na == 0 || nb == 0)
        {
            throw new InvalidVectorException(
                $"Cosine similarity is undefined for a zero vector (the {(na == 0 ? "first" : "second")} vector has length 0). " +
                "Remove all-zero vectors or use the dot or euclidean metric.");
        }

        return (float)Math.Clamp(dot / (na * nb), -1.0, 1.0);
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
        var norm = TensorPrimitives.Norm(v);
        return Representable(norm, v) ? norm : (float)NormInDouble(v);
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

        CheckFinite(source, "vector");
        var norm = TensorPrimitives.Norm(source);
        if (norm > 0 && Representable(norm, source))
        {
            TensorPrimitives.Divide(source, norm, destination);
            return;
        }

        var exact = NormInDouble(source);
        if (exact == 0)
        {
            throw new InvalidVectorException(
                "Cannot normalise a zero vector: it has no direction. Check the input that produced it.");
        }

        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (float)(source[i] / exact);
        }
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

    // A float norm is trustworthy when it is finite and not zero-by-underflow (normal, or zero because every component is).
    private static bool Representable(double norm, ReadOnlySpan<float> v) =>
        double.IsFinite(norm) && norm < 1e18 && (norm > 1e-18 || !v.ContainsAnyExcept(0f));

    private static double NormInDouble(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum);
    }

    private static double DotInDouble(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
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
