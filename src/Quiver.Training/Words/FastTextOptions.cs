using Quiver.Core;

namespace Quiver.Training.Words;

/// <summary>fastText's subword settings (Bojanowski et al., 2017) on top of the Word2Vec ones, with fastText's defaults.</summary>
public sealed record FastTextOptions
{
    /// <summary>The Word2Vec settings; fastText's defaults differ from word2vec's: skip-gram, sample 1e-4, learning rate 0.05.</summary>
    public Word2VecOptions Word2Vec { get; init; } = new() { Cbow = false, Sample = 1e-4, LearningRate = 0.05f };

    /// <summary>Shortest character n-gram (-minn 3).</summary>
    public int MinN { get; init; } = 3;

    /// <summary>Longest character n-gram (-maxn 6).</summary>
    public int MaxN { get; init; } = 6;

    /// <summary>Hash buckets the n-grams share (-bucket 2,000,000: 800 MB at 100 dimensions; small corpora do well with far fewer).</summary>
    public int Buckets { get; init; } = 2_000_000;

    public void Validate()
    {
        Word2Vec.Validate();
        if (MinN < 1 || MaxN < MinN)
        {
            throw new QuiverException($"N-gram lengths must satisfy 1 <= min-n <= max-n (got {MinN}..{MaxN}).");
        }

        if (Buckets < 1)
        {
            throw new QuiverException($"Buckets must be at least 1 (got {Buckets}).");
        }
    }
}
