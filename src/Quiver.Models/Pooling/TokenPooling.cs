using System.Numerics.Tensors;

namespace Quiver.Models.Pooling;

/// <summary>Pooling of one sequence's token vectors, and the normalisation and truncation that follow it.</summary>
public static class TokenPooling
{
    /// <summary>
    /// Pools the first <paramref name="length"/> rows of <paramref name="tokens"/> (row-major, <paramref name="hidden"/>
    /// columns; rows past <paramref name="length"/> are padding and never read) into <paramref name="destination"/>.
    /// </summary>
    public static void Pool(ReadOnlySpan<float> tokens, int length, int hidden, PoolingMode mode, Span<float> destination)
    {
        if (length <= 0 || tokens.Length < length * hidden)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Pooling needs 1 to {tokens.Length / Math.Max(hidden, 1)} real tokens of {hidden} values.");
        }

        if (destination.Length != hidden)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; the model's vectors have {hidden}.", nameof(destination));
        }

        switch (mode)
        {
            case PoolingMode.Cls:
                tokens[..hidden].CopyTo(destination);
                break;
            case PoolingMode.LastToken:
                tokens.Slice((length - 1) * hidden, hidden).CopyTo(destination);
                break;
            case PoolingMode.Max:
                tokens[..hidden].CopyTo(destination);
                for (var t = 1; t < length; t++)
                {
                    TensorPrimitives.Max(destination, tokens.Slice(t * hidden, hidden), destination);
                }

                break;
            case PoolingMode.Mean:
                tokens[..hidden].CopyTo(destination);
                for (var t = 1; t < length; t++)
                {
                    TensorPrimitives.Add(destination, tokens.Slice(t * hidden, hidden), destination);
                }

                TensorPrimitives.Multiply(destination, 1f / length, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Pooling is Mean, Cls, Max or LastToken.");
        }
    }

    /// <summary>Scales <paramref name="vector"/> to unit length in place; a zero vector stays zero, as torch's normalize leaves it.</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Multiply(vector, 1f / norm, vector);
        }
    }
}
