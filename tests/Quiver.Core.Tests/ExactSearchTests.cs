using CsCheck;
using Quiver.Core.Distances;
using Quiver.Core.Selection;

namespace Quiver.Core.Tests;

public sealed class ExactSearchTests
{
    private static readonly Gen<Case> FloatCases =
        Gen.Select(Gen.Int[1, 16], Gen.Int[0, 60], Gen.Int[1, 20], Gen.Bool)
            .SelectMany((dimensions, count, k, filtered) => Gen.Select(
                    Gen.Float[-10f, 10f].Array[dimensions * count],
                    Gen.Float[-10f, 10f].Array[dimensions].Where(q => q.Any(x => Math.Abs(x) > 1e-6f)),
                    Gen.Bool.Array[count])
                .Select((rows, query, mask) => new Case(dimensions, rows, query, k, filtered ? mask : null)));

    // Small integer components make every dot product and squared distance exact in float, so the order (ties
    // included) can be compared exactly with a full sort.
    private static readonly Gen<Case> IntegerCases =
        Gen.Select(Gen.Int[1, 8], Gen.Int[0, 80], Gen.Int[1, 25], Gen.Bool)
            .SelectMany((dimensions, count, k, filtered) => Gen.Select(
                    Gen.Int[-3, 3].Select(i => (float)i).Array[dimensions * count],
                    Gen.Int[-3, 3].Select(i => (float)i).Array[dimensions],
                    Gen.Bool.Array[count])
                .Select((rows, query, mask) => new Case(dimensions, rows, query, k, filtered ? mask : null)));

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Dot)]
    [InlineData(DistanceMetric.Euclidean)]
    public void Search_agrees_with_brute_force(DistanceMetric metric)
    {
        FloatCases.Sample(c =>
        {
            var rows = metric == DistanceMetric.Cosine ? UnitRows(c.Rows, c.Dimensions) : c.Rows;
            var hits = ExactSearch.Search(rows, c.Dimensions, c.Query, c.K, metric, c.Include);

            var candidates = Enumerable.Range(0, c.Count).Where(i => c.Include?.Invoke(i) ?? true).ToArray();
            Assert.Equal(Math.Min(c.K, candidates.Length), hits.Length);
            Assert.Equal(hits.Length, hits.Select(h => h.Index).Distinct().Count());
            Assert.All(hits, h => Assert.Contains(h.Index, candidates));

            var similarity = metric != DistanceMetric.Euclidean;
            double Exact(int i) => BruteScore(metric, c.Query, rows.AsSpan(i * c.Dimensions, c.Dimensions));
            double Tolerance(int i) => 1e-5 * (1 + Scale(metric, c.Query, rows.AsSpan(i * c.Dimensions, c.Dimensions)));

            foreach (var h in hits)
            {
                Assert.True(
                    Math.Abs(h.Score - Exact(h.Index)) <= Tolerance(h.Index),
                    $"row {h.Index}: score {h.Score:R}, brute force {Exact(h.Index):R}");
            }

            for (var i = 1; i < hits.Length; i++)
            {
                var (previous, current) = (hits[i - 1], hits[i]);
                Assert.True(similarity ? previous.Score >= current.Score : previous.Score <= current.Score, "hits are not best first");
                if (previous.Score == current.Score)
                {
                    Assert.True(previous.Index < current.Index, "ties are not broken by the lower index");
                }
            }

            // No row left out beats the last row returned (beyond rounding).
            if (hits.Length > 0)
            {
                var worst = hits[^1].Index;
                foreach (var i in candidates.Except(hits.Select(h => h.Index)))
                {
                    var beats = similarity
                        ? Exact(i) > Exact(worst) + Tolerance(i) + Tolerance(worst)
                        : Exact(i) < Exact(worst) - Tolerance(i) - Tolerance(worst);
                    Assert.False(beats, $"row {i} ({Exact(i):R}) beats returned row {worst} ({Exact(worst):R})");
                }
            }
        });
    }

    [Theory]
    [InlineData(DistanceMetric.Dot)]
    [InlineData(DistanceMetric.Euclidean)]
    public void Search_matches_a_full_sort_exactly_on_exact_scores(DistanceMetric metric)
    {
        IntegerCases.Sample(c =>
        {
            var hits = ExactSearch.Search(c.Rows, c.Dimensions, c.Query, c.K, metric, c.Include);

            var scored = Enumerable.Range(0, c.Count)
                .Where(i => c.Include?.Invoke(i) ?? true)
                .Select(i => (Index: i, Score: BruteScore(metric, c.Query, c.Rows.AsSpan(i * c.Dimensions, c.Dimensions))));
            var expected = (metric == DistanceMetric.Euclidean
                    ? scored.OrderBy(s => s.Score).ThenBy(s => s.Index)
                    : scored.OrderByDescending(s => s.Score).ThenBy(s => s.Index))
                .Take(c.K)
                .Select(s => new ScoredIndex(s.Index, (float)s.Score))
                .ToArray();

            Assert.Equal(expected, hits);
        });
    }

    [Fact]
    public void Euclidean_scores_are_non_negative_distances_in_ascending_order()
    {
        FloatCases.Sample(c =>
        {
            var hits = ExactSearch.Search(c.Rows, c.Dimensions, c.Query, c.K, DistanceMetric.Euclidean, c.Include);
            Assert.All(hits, h => Assert.True(h.Score >= 0, $"negative distance {h.Score}"));
            for (var i = 1; i < hits.Length; i++)
            {
                Assert.True(hits[i - 1].Score <= hits[i].Score);
            }
        });
    }

    [Fact]
    public void Euclidean_search_returns_the_nearest_rows_with_their_distances()
    {
        float[] rows =
        [
            10f, 0f,
            1f, 0f,
            0f, 3f,
            -4f, 0f,
        ];

        var hits = ExactSearch.Search(rows, 2, [0f, 0f], 3, DistanceMetric.Euclidean);

        Assert.Equal([new ScoredIndex(1, 1f), new ScoredIndex(2, 3f), new ScoredIndex(3, 4f)], hits);
    }

    [Fact]
    public void Cosine_search_normalises_the_query_so_scores_are_cosines()
    {
        float[] rows =
        [
            1f, 0f,
            0f, 1f,
            -1f, 0f,
        ];

        var hits = ExactSearch.Search(rows, 2, [30f, 40f], 3, DistanceMetric.Cosine);

        Assert.Equal([1, 0, 2], hits.Select(h => h.Index));
        Assert.Equal(0.8f, hits[0].Score, 1e-6f);
        Assert.Equal(0.6f, hits[1].Score, 1e-6f);
        Assert.Equal(-0.6f, hits[2].Score, 1e-6f);
    }

    [Fact]
    public void Dot_search_does_not_normalise_the_query()
    {
        float[] rows = [1f, 0f, 0f, 2f];

        var hits = ExactSearch.Search(rows, 2, [3f, 1f], 2, DistanceMetric.Dot);

        Assert.Equal([new ScoredIndex(0, 3f), new ScoredIndex(1, 2f)], hits);
    }

    [Fact]
    public void Include_filter_keeps_only_the_rows_it_accepts()
    {
        float[] rows = [5f, 4f, 3f, 2f, 1f];

        var hits = ExactSearch.Search(rows, 1, [1f], 2, DistanceMetric.Dot, include: i => i % 2 == 1);

        Assert.Equal([new ScoredIndex(1, 4f), new ScoredIndex(3, 2f)], hits);
        Assert.Empty(ExactSearch.Search(rows, 1, [1f], 2, DistanceMetric.Dot, include: _ => false));
    }

    [Fact]
    public void Rows_rejected_by_the_filter_are_never_scored()
    {
        // Scoring the NaN row would put a NaN key into the selection, which refuses it.
        float[] rows = [1f, 1f, float.NaN, float.NaN, 2f, 2f];

        var hits = ExactSearch.Search(rows, 2, [1f, 0f], 3, DistanceMetric.Dot, include: i => i != 1);

        Assert.Equal([2, 0], hits.Select(h => h.Index));
    }

    [Fact]
    public void Search_over_no_rows_returns_nothing()
    {
        Assert.Empty(ExactSearch.Search([], 3, [1f, 2f, 3f], 5, DistanceMetric.Cosine));
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Dot)]
    [InlineData(DistanceMetric.Euclidean)]
    public void Query_of_another_dimension_is_refused(DistanceMetric metric)
    {
        var e = Assert.Throws<InvalidVectorException>(() => ExactSearch.Search(new float[12], 4, [1f, 2f, 3f], 2, metric));
        Assert.Contains("3 dimensions", e.Message, StringComparison.Ordinal);
        Assert.Contains("have 4", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine, float.NaN)]
    [InlineData(DistanceMetric.Dot, float.NaN)]
    [InlineData(DistanceMetric.Euclidean, float.NaN)]
    [InlineData(DistanceMetric.Dot, float.PositiveInfinity)]
    public void Non_finite_query_is_refused_naming_the_index(DistanceMetric metric, float bad)
    {
        var e = Assert.Throws<InvalidVectorException>(() => ExactSearch.Search(new float[8], 2, [1f, bad], 2, metric));
        Assert.Contains("query", e.Message, StringComparison.Ordinal);
        Assert.Contains("index 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_query_is_refused_for_cosine()
    {
        var e = Assert.Throws<InvalidVectorException>(() => ExactSearch.Search([1f, 0f], 2, [0f, 0f], 1, DistanceMetric.Cosine));
        Assert.Contains("zero vector", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(6, 0)]
    [InlineData(6, -2)]
    public void Row_buffer_that_is_not_whole_rows_is_refused(int floats, int dimensions)
    {
        var e = Assert.Throws<ArgumentException>(() => ExactSearch.Search(new float[floats], dimensions, [1f], 1, DistanceMetric.Dot));
        Assert.Equal("rows", e.ParamName);
        Assert.Contains($"{floats} floats", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void K_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactSearch.Search([1f, 2f], 2, [1f, 2f], 0, DistanceMetric.Dot));
    }

    private static float[] UnitRows(float[] rows, int dimensions)
    {
        var unit = new float[rows.Length];
        for (var start = 0; start < rows.Length; start += dimensions)
        {
            var norm = 0.0;
            for (var j = 0; j < dimensions; j++)
            {
                norm += (double)rows[start + j] * rows[start + j];
            }

            norm = Math.Sqrt(norm);
            for (var j = 0; j < dimensions; j++)
            {
                // A zero row stays an (arbitrary) unit row rather than dividing by zero.
                unit[start + j] = norm == 0 ? (j == 0 ? 1f : 0f) : (float)(rows[start + j] / norm);
            }
        }

        return unit;
    }

    private static double BruteScore(DistanceMetric metric, ReadOnlySpan<float> query, ReadOnlySpan<float> row)
    {
        double dot = 0, queryNorm = 0, squaredDistance = 0;
        for (var j = 0; j < query.Length; j++)
        {
            dot += (double)query[j] * row[j];
            queryNorm += (double)query[j] * query[j];
            var d = (double)query[j] - row[j];
            squaredDistance += d * d;
        }

        return metric switch
        {
            DistanceMetric.Cosine => dot / Math.Sqrt(queryNorm),
            DistanceMetric.Dot => dot,
            _ => Math.Sqrt(squaredDistance),
        };
    }

    // The magnitude that float rounding of a score is relative to.
    private static double Scale(DistanceMetric metric, ReadOnlySpan<float> query, ReadOnlySpan<float> row)
    {
        double sum = 0;
        for (var j = 0; j < query.Length; j++)
        {
            sum += metric == DistanceMetric.Dot ? Math.Abs((double)query[j] * row[j]) : Math.Abs((double)query[j] - row[j]);
        }

        return metric == DistanceMetric.Cosine ? 0 : sum;
    }

    private sealed record Case(int Dimensions, float[] Rows, float[] Query, int K, bool[]? Mask)
    {
        public int Count => Rows.Length / Dimensions;

        public Func<int, bool>? Include => Mask is null ? null : i => Mask[i];
    }
}
