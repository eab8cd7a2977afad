namespace Quiver.Core.Spaces;

/// <summary>Vectors from one embedding space offered to a collection or query of another.</summary>
public sealed class EmbeddingSpaceMismatchException : QuiverException
{
    private const string DefaultRemedy = "Use the model the collection was created with, or create a new collection for this model.";

    public EmbeddingSpaceMismatchException(EmbeddingSpace expected, EmbeddingSpace actual, string context)
        : this(expected, actual, context, DefaultRemedy)
    {
    }

    /// <param name="remedy">What to do about it, in a sentence, when the caller knows better than the general advice.</param>
    public EmbeddingSpaceMismatchException(EmbeddingSpace expected, EmbeddingSpace actual, string context, string remedy)
        : base(
            $"{context}: expects vectors from {expected} but got vectors from {actual}. " +
            (expected.Dimensions != actual.Dimensions
                ? "The dimensions differ. "
                : "The model or its revision differs. ") +
            remedy)
    {
        Expected = expected;
        Actual = actual;
    }

    public EmbeddingSpace Expected { get; }

    public EmbeddingSpace Actual { get; }
}
