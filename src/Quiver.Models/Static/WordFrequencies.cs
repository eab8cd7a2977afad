namespace Quiver.Models.Static;

/// <summary>
/// Unigram probabilities p(w) for SIF weights. From counts when a model has them, otherwise estimated from the
/// frequency rank by Zipf's law: p(r) = 1 / ((r + 1) · H_N), with H_N the N-th harmonic number.
/// </summary>
public sealed class WordFrequencies
{
    private readonly double[]? _probabilities;
    private readonly double _harmonic;

    private WordFrequencies(double[]? probabilities, int vocabularySize)
    {
        _probabilities = probabilities;
        double h = 0;
        for (var r = 1; r <= vocabularySize; r++)
        {
            h += 1.0 / r;
        }

        _harmonic = h;
    }

    public bool FromCounts => _probabilities is not null;

    public static WordFrequencies FromRanks(int vocabularySize) => new(null, vocabularySize);

    public static WordFrequencies FromCountsOf(IReadOnlyList<long> counts)
    {
        var total = counts.Sum(c => (double)c);
        if (total <= 0)
        {
            throw new ArgumentException("Word counts sum to zero; pass positive counts or use rank-based frequencies.", nameof(counts));
        }

        return new WordFrequencies(counts.Select(c => c / total).ToArray(), counts.Count);
    }

    public double Probability(int rank) => _probabilities?[rank] ?? 1.0 / ((rank + 1) * _harmonic);
}
