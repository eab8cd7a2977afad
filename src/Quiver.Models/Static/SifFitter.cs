using System.Numerics.Tensors;
using Quiver.Core;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Static;

/// <summary>
/// Fits SIF's common component: the first singular vector of the matrix of SIF-weighted sentence vectors (uncentred,
/// as in the SIF paper), by power iteration on its d×d Gram matrix.
/// </summary>
public static class SifFitter
{
    /// <param name="tokenizer">The model's tokenizer (its case handling must match the vocabulary).</param>
    public static SifParameters Fit(
        WordVectors vectors,
        IEnumerable<string> sentences,
        string fittedOn,
        float a = SifParameters.DefaultA,
        WordFrequencies? frequencies = null,
        IProgress<int>? progress = null,
        WordTokenizer? tokenizer = null)
    {
        var embedder = new StaticEmbedder(vectors, StaticPooling.Sif, new SifParameters(a, null, fittedOn), frequencies, tokenizer);
        var d = vectors.Dimensions;
        var gram = new double[d * d];
        var used = 0;
        foreach (var sentence in sentences)
        {
            var v = embedder.Pool(sentence, out _, out var known, out _);
            if (known == 0)
            {
                continue;
            }

            for (var i = 0; i < d; i++)
            {
                var vi = (double)v[i];
                for (var j = i; j < d; j++)
                {
                    gram[(i * d) + j] += vi * v[j];
                }
            }

            used++;
            if (used % 10_000 == 0)
            {
                progress?.Report(used);
            }
        }

        if (used == 0)
        {
            throw new QuiverException($"No sentence of the reference corpus '{fittedOn}' has a known word; SIF cannot be fitted on it.");
        }

        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < i; j++)
            {
                gram[(i * d) + j] = gram[(j * d) + i];
            }
        }

        return new SifParameters(a, PrincipalVector(gram, d), $"{fittedOn} ({used} sentences)");
    }

    /// <summary>Sentences drawn from the vocabulary's own Zipf distribution: a reference corpus when no real text is at hand.</summary>
    public static IEnumerable<string> ZipfSentences(WordVectors vectors, int count, int seed = 17, int maxRank = 100_000)
    {
        var frequencies = WordFrequencies.FromRanks(vectors.Count);
        var n = Math.Min(maxRank, vectors.Count);
        var cumulative = new double[n];
        double total = 0;
        for (var r = 0; r < n; r++)
        {
            total += frequencies.Probability(r);
            cumulative[r] = total;
        }

        var random = new Random(seed);
        var words = new List<string>(32);
        for (var s = 0; s < count; s++)
        {
            words.Clear();
            var length = random.Next(8, 30);
            for (var i = 0; i < length; i++)
            {
                var rank = Array.BinarySearch(cumulative, random.NextDouble() * total);
                words.Add(vectors.Words[rank < 0 ? Math.Min(~rank, n - 1) : rank]);
            }

            yield return string.Join(' ', words);
        }
    }

    private static float[] PrincipalVector(double[] gram, int d)
    {
        var v = new double[d];
        Array.Fill(v, 1.0 / Math.Sqrt(d));
        var next = new double[d];
        for (var iteration = 0; iteration < 1000; iteration++)
        {
            for (var i = 0; i < d; i++)
            {
                next[i] = TensorPrimitives.Dot<double>(gram.AsSpan(i * d, d), v);
            }

            var norm = TensorPrimitives.Norm<double>(next);
            TensorPrimitives.Divide(next, norm, next);
            var change = TensorPrimitives.Distance<double>(next, v);
            (v, next) = (next, v);
            if (change < 1e-10)
            {
                break;
            }
        }

        return v.Select(x => (float)x).ToArray();
    }
}
