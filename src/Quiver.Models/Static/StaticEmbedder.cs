using System.Numerics.Tensors;
using Quiver.Core.Distances;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Static;

/// <summary>
/// Turns a text into one unit-length vector by pooling its words' vectors (mean or SIF). Punctuation is not pooled;
/// unknown words are counted and reported; a hyphenated word missing from the vocabulary falls back to its parts.
/// </summary>
public sealed class StaticEmbedder
{
    private readonly WordFrequencies _frequencies;

    public StaticEmbedder(WordVectors vectors, StaticPooling pooling, SifParameters? sif = null, WordFrequencies? frequencies = null, WordTokenizer? tokenizer = null)
    {
        Vectors = vectors;
        Pooling = pooling;
        Sif = sif ?? new SifParameters(SifParameters.DefaultA, null, "none");
        if (Sif.CommonComponent is { } u && u.Length != vectors.Dimensions)
        {
            throw new ArgumentException(
                $"The SIF common component has {u.Length} dimensions but the word vectors have {vectors.Dimensions}. Refit it for this model.",
                nameof(sif));
        }

        _frequencies = frequencies ?? WordFrequencies.FromRanks(vectors.Count);
        Tokenizer = tokenizer ?? new WordTokenizer();
    }

    public WordVectors Vectors { get; }

    public StaticPooling Pooling { get; }

    public SifParameters Sif { get; }

    public WordTokenizer Tokenizer { get; }

    public int Dimensions => Vectors.Dimensions;

    /// <summary>The unit-length sentence vector of <paramref name="text"/>.</summary>
    /// <exception cref="NoKnownWordsException">No word of the text is in the vocabulary.</exception>
    public StaticEmbedding Embed(string text)
    {
        var pooled = Pool(text, out var words, out var known, out var unknown);
        if (known == 0)
        {
            throw new NoKnownWordsException(text, unknown);
        }

        if (Pooling == StaticPooling.Sif && Sif.CommonComponent is { } u)
        {
            // v - (u·v) u, with u unit length.
            var projection = TensorPrimitives.Dot(pooled, u);
            TensorPrimitives.MultiplyAdd(u, -projection, pooled, pooled);
        }

        if (TensorPrimitives.Norm(pooled) == 0)
        {
            throw new InvalidVectorException(
                $"The known words of \"{(text.Length <= 80 ? text : text[..77] + "...")}\" have vectors that cancel out to zero, so the text has no direction. " +
                "Add words or use the other pooling.");
        }

        VectorMath.Normalize(pooled);
        return new StaticEmbedding(pooled, words, known, unknown);
    }

    /// <summary>The weighted average before common-component removal and normalisation (what SIF fitting needs).</summary>
    internal float[] Pool(string text, out int words, out int known, out List<string> unknown)
    {
        var sum = new float[Dimensions];
        double weightSum = 0;
        words = 0;
        known = 0;
        unknown = [];
        foreach (var token in Tokenizer.Tokenize(text))
        {
            if (token.Kind == WordTokenKind.Punctuation)
            {
                continue;
            }

            words++;
            var before = known;
            var rank = Vectors.RankOf(token.Text);
            if (rank >= 0)
            {
                weightSum += Add(sum, rank);
                known++;
            }
            else if (token.Text.Contains('-'))
            {
                var parts = token.Text.Split('-', StringSplitOptions.RemoveEmptyEntries);
                var ranks = parts.Select(Vectors.RankOf).ToArray();
                if (ranks.Length > 0 && ranks.All(r => r >= 0))
                {
                    foreach (var r in ranks)
                    {
                        weightSum += Add(sum, r);
                    }

                    known++;
                }
            }

            if (known == before)
            {
                unknown.Add(token.Text);
            }
        }

        if (weightSum > 0)
        {
            TensorPrimitives.Divide(sum, (float)weightSum, sum);
        }

        return sum;
    }

    private double Add(float[] sum, int rank)
    {
        var weight = Pooling == StaticPooling.Sif ? Sif.A / (Sif.A + _frequencies.Probability(rank)) : 1.0;
        TensorPrimitives.MultiplyAdd(Vectors.Vector(rank), (float)weight, sum, sum);
        return weight;
    }
}
