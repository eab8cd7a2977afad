using System.Numerics.Tensors;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Selection;

namespace Quiver.Models.Static;

/// <summary>
/// A vocabulary of words, most frequent first, each with a dense vector. Rows are kept as given (for pooling) and
/// as unit vectors (for similarity queries).
/// </summary>
public sealed class WordVectors
{
    private readonly Dictionary<string, int> _index;
    private readonly float[] _vectors;
    private float[]? _unit;

    /// <param name="words">The vocabulary in frequency order, most frequent first.</param>
    /// <param name="vectors">Row-major, <c>words.Count * dimensions</c> floats.</param>
    public WordVectors(IReadOnlyList<string> words, float[] vectors, int dimensions)
    {
        if (dimensions <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Word vectors need at least one dimension.");
        }

        if (vectors.Length != (long)words.Count * dimensions)
        {
            throw new ArgumentException(
                $"{words.Count} words of {dimensions} dimensions need {(long)words.Count * dimensions} floats, but {vectors.Length} were given.",
                nameof(vectors));
        }

        Words = words;
        Dimensions = dimensions;
        _vectors = vectors;
        _index = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            // A repeated word keeps its first (most frequent) row, as the word2vec tools do.
            _index.TryAdd(words[i], i);
        }

        VectorMath.CheckFinite(vectors, "word vector table");
    }

    public IReadOnlyList<string> Words { get; }

    public int Dimensions { get; }

    public int Count => Words.Count;

    /// <summary>The raw row-major vector table.</summary>
    public ReadOnlySpan<float> Table => _vectors;

    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>The frequency rank (0 = most frequent) of a word, or -1 when it is not in the vocabulary.</summary>
    public int RankOf(string word) => _index.TryGetValue(word, out var i) ? i : -1;

    public ReadOnlySpan<float> Vector(int rank) => _vectors.AsSpan(rank * Dimensions, Dimensions);

    public ReadOnlySpan<float> Vector(string word) => Vector(Require(word));

    public ReadOnlySpan<float> UnitVector(int rank) => UnitTable.Slice(rank * Dimensions, Dimensions);

    private ReadOnlySpan<float> UnitTable
    {
        get
        {
            if (_unit is null)
            {
                var unit = new float[_vectors.Length];
                for (var i = 0; i < Count; i++)
                {
                    var src = _vectors.AsSpan(i * Dimensions, Dimensions);
                    var norm = TensorPrimitives.Norm(src);
                    if (norm > 0)
                    {
                        TensorPrimitives.Divide(src, norm, unit.AsSpan(i * Dimensions, Dimensions));
                    }
                }

                _unit = unit;
            }

            return _unit;
        }
    }

    /// <summary>The rank of a word, or an error naming it and saying how to find a known one.</summary>
    public int Require(string word)
    {
        if (_index.TryGetValue(word, out var i))
        {
            return i;
        }

        throw new UnknownWordException(word);
    }

    /// <summary>The words closest to <paramref name="word"/> by cosine, excluding the word itself.</summary>
    /// <param name="restrictTo">Consider only the most frequent N words (0 = all).</param>
    public IReadOnlyList<WordScore> MostSimilar(string word, int k = 10, int restrictTo = 0)
    {
        var rank = Require(word);
        return Nearest(UnitVector(rank), k, restrictTo, [rank]);
    }

    /// <summary>The words closest by cosine to an arbitrary vector, skipping the given ranks.</summary>
    public IReadOnlyList<WordScore> Nearest(ReadOnlySpan<float> vector, int k, int restrictTo = 0, IReadOnlyCollection<int>? exclude = null)
    {
        if (vector.Length != Dimensions)
        {
            throw new InvalidVectorException($"The vector has {vector.Length} dimensions but these word vectors have {Dimensions}.");
        }

        var limit = Limit(restrictTo);
        var query = new float[Dimensions];
        VectorMath.Normalize(vector, query);
        var top = new TopK(k + (exclude?.Count ?? 0));
        var table = UnitTable;
        for (var i = 0; i < limit; i++)
        {
            top.Offer(i, TensorPrimitives.Dot(query, table.Slice(i * Dimensions, Dimensions)));
        }

        return Collect(top, k, exclude);
    }

    /// <summary>
    /// Solves "<paramref name="a"/> is to <paramref name="b"/> as <paramref name="c"/> is to ?", excluding the three
    /// question words from the answers. 3CosAdd maximises cos(d, b − a + c); 3CosMul (Levy and Goldberg, 2014)
    /// maximises cos'(d,b)·cos'(d,c) / (cos'(d,a) + ε) with cosines shifted to [0, 1].
    /// </summary>
    public IReadOnlyList<WordScore> Analogy(string a, string b, string c, int k = 1, AnalogyMethod method = AnalogyMethod.CosAdd, int restrictTo = 0)
    {
        var ra = Require(a);
        var rb = Require(b);
        var rc = Require(c);
        return Analogy(ra, rb, rc, k, method, restrictTo);
    }

    /// <summary>The rank-based form of <see cref="Analogy(string, string, string, int, AnalogyMethod, int)"/>, for evaluations over many questions.</summary>
    public IReadOnlyList<WordScore> Analogy(int ra, int rb, int rc, int k, AnalogyMethod method, int restrictTo)
    {
        var limit = Limit(restrictTo);
        var table = UnitTable;
        var va = UnitVector(ra);
        var vb = UnitVector(rb);
        var vc = UnitVector(rc);
        int[] exclude = [ra, rb, rc];
        var top = new TopK(k + exclude.Length);
        if (method == AnalogyMethod.CosAdd)
        {
            // With unit rows d and a unit target t = (b - a + c)/|b - a + c|, d·t is cos(d, b - a + c).
            var target = new float[Dimensions];
            TensorPrimitives.Subtract(vb, va, target);
            TensorPrimitives.Add(target, vc, target);

            // Unit target: the scores are then cosines, and the ranking is unchanged.
            var norm = TensorPrimitives.Norm(target);
            if (norm > 0)
            {
                TensorPrimitives.Divide(target, norm, target);
            }
            for (var i = 0; i < limit; i++)
            {
                top.Offer(i, TensorPrimitives.Dot(target, table.Slice(i * Dimensions, Dimensions)));
            }
        }
        else
        {
            const float epsilon = 0.001f;
            for (var i = 0; i < limit; i++)
            {
                var row = table.Slice(i * Dimensions, Dimensions);
                var cb = (TensorPrimitives.Dot(row, vb) + 1) / 2;
                var cc = (TensorPrimitives.Dot(row, vc) + 1) / 2;
                var ca = (TensorPrimitives.Dot(row, va) + 1) / 2;
                top.Offer(i, cb * cc / (ca + epsilon));
            }
        }

        return Collect(top, k, exclude);
    }

    /// <summary>The word that fits least: the lowest cosine to the mean of all the given words' unit vectors.</summary>
    public WordScore OddOneOut(IReadOnlyList<string> words)
    {
        if (words.Count < 3)
        {
            throw new QuiverException($"Odd-one-out needs at least 3 words, got {words.Count}.");
        }

        var ranks = words.Select(Require).ToArray();
        var mean = new float[Dimensions];
        foreach (var r in ranks)
        {
            TensorPrimitives.Add(mean, UnitVector(r), mean);
        }

        VectorMath.Normalize(mean);
        var worst = new WordScore(string.Empty, float.PositiveInfinity);
        foreach (var r in ranks)
        {
            var score = TensorPrimitives.Dot(mean, UnitVector(r));
            if (score < worst.Score)
            {
                worst = new WordScore(Words[r], score);
            }
        }

        return worst;
    }

    /// <summary>Cosine similarity of two words.</summary>
    public float Similarity(string a, string b) => TensorPrimitives.Dot(UnitVector(Require(a)), UnitVector(Require(b)));

    private int Limit(int restrictTo)
    {
        if (restrictTo < 0)
        {
            throw new QuiverException($"The restriction {restrictTo} is negative; it is a word count: use 0 for the whole vocabulary.");
        }

        return restrictTo == 0 ? Count : Math.Min(restrictTo, Count);
    }

    private List<WordScore> Collect(TopK top, int k, IReadOnlyCollection<int>? exclude)
    {
        var result = new List<WordScore>(k);
        foreach (var hit in top.Drain())
        {
            if (result.Count == k)
            {
                break;
            }

            if (exclude is null || !exclude.Contains(hit.Index))
            {
                result.Add(new WordScore(Words[hit.Index], hit.Score));
            }
        }

        return result;
    }
}
