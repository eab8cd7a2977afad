namespace Quiver.Core.Spaces;

/// <summary>Vectors from one embedding space offered to a collection or query of another.</summary>
public sealed class EmbeddingSpaceMismatchException : QuiverException
{
    public EmbeddingSpaceMismatchException(EmbeddingSpace expected, EmbeddingSpace actual, string context)
        : base(
            $"{context}: expects vectors from {expected} but got vectors from {actual}. " +
            (expected.Dimensions != actual.Dimensions
                ? "The dimensions differ. "
                : "The model or its revision differs. ") +
            "Use the model the collection was created with, or create a new collection for this model.")
    {
        Expected = expected;
        Actual = actual;
    }

    public EmbeddingSpace Expected { get; }

    public EmbeddingSpace Actual { get; }
}
