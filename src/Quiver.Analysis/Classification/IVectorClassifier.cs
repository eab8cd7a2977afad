namespace Quiver.Analysis.Classification;

/// <summary>A trained classifier of embedding vectors: for a vector, a probability for each of its classes.</summary>
public interface IVectorClassifier
{
    /// <summary>The class names, in the order of the probabilities.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>The dimensions of the vectors it takes.</summary>
    int Dimensions { get; }

    /// <summary>Writes one probability per class (they sum to 1) for <paramref name="vector"/> into <paramref name="probabilities"/>.</summary>
    void Predict(ReadOnlySpan<float> vector, Span<double> probabilities);
}
