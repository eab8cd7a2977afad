using CsCheck;
using Quiver.Analysis.Metrics;

namespace Quiver.Analysis.Tests;

public sealed class CorrelationTests
{
    // Wikipedia's Spearman example: IQ against hours of television a week; rho = -29/165 (no ties).
    private static readonly double[] Iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
    private static readonly double[] Television = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];

    [Fact]
    public void Pearson_of_a_hand_computed_example()
    {
        // Means 3 and 4; Sxy = 6, Sxx = 10, Syy = 6, so r = 6 / sqrt(60).
        Assert.Equal(6 / Math.Sqrt(60), Correlation.Pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), 1e-12);
    }

    [Fact]
    public void Pearson_of_a_swapped_pair_is_one_half()
    {
        // Deviations [-1, 0, 1] and [-1, 1, 0]: Sxy = 1, Sxx = Syy = 2.
        Assert.Equal(0.5, Correlation.Pearson([1, 2, 3], [1, 3, 2]), 1e-12);
        Assert.Equal(0.5, Correlation.Spearman([1, 2, 3], [1, 3, 2]), 1e-12);
    }

    [Fact]
    public void Spearman_of_a_textbook_example()
    {
        Assert.Equal(-29.0 / 165, Correlation.Spearman(Iq, Television), 1e-12);
    }

    [Fact]
    public void Spearman_with_ties_is_the_pearson_of_average_ranks()
    {
        // Ranks of y: [1, 2.5, 4.5, 2.5, 4.5]; against 1..5 that gives 7 / sqrt(10 * 9).
        Assert.Equal(7 / Math.Sqrt(90), Correlation.Spearman([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), 1e-12);
    }

    [Fact]
    public void Ties_get_their_average_rank()
    {
        Assert.Equal([1, 2.5, 2.5, 4], Correlation.Ranks([10, 20, 20, 30]));
        Assert.Equal([4, 2, 2, 2, 5], Correlation.Ranks([7, 3, 3, 3, 9]));
        Assert.Equal([2, 2, 2], Correlation.Ranks([1, 1, 1]));
        Assert.Equal([3, 1, 2], Correlation.Ranks([-0.5, -3, -1]));
        Assert.Empty(Correlation.Ranks([]));
    }

    [Fact]
    public void Ranks_are_a_tie_averaged_permutation_of_one_to_n()
    {
        Gen.Int[-5, 5].Select(i => (double)i).Array[0, 60].Sample(values =>
        {
            var ranks = Correlation.Ranks(values);
            var n = values.Length;
            Assert.Equal(n * (n + 1) / 2.0, ranks.Sum(), 1e-9);
            for (var i = 0; i < n; i++)
            {
                // The rank is one more than the number of smaller values plus half the other equal values.
                var smaller = values.Count(v => v < values[i]);
                var equal = values.Count(v => v == values[i]);
                Assert.Equal(smaller + ((equal + 1) / 2.0), ranks[i]);
            }
        });
    }

    [Fact]
    public void Perfectly_monotone_series_give_one_and_reversed_give_minus_one()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        double[] increasing = [1, 4, 9, 16, 25, 36];
        var decreasing = increasing.Select(v => -v).ToArray();

        Assert.Equal(1, Correlation.Spearman(x, increasing), 1e-12);
        Assert.Equal(-1, Correlation.Spearman(x, decreasing), 1e-12);
        Assert.Equal(1, Correlation.Pearson(x, x.Select(v => (3 * v) + 1).ToArray()), 1e-12);
        Assert.Equal(-1, Correlation.Pearson(x, x.Select(v => 2 - v).ToArray()), 1e-12);
        Assert.True(Correlation.Pearson(x, increasing) is > 0.9 and < 1);
    }

    [Fact]
    public void Pearson_of_a_constant_series_is_NaN()
    {
        Assert.True(double.IsNaN(Correlation.Pearson([5, 5, 5], [1, 2, 3])));
        Assert.True(double.IsNaN(Correlation.Pearson([1, 2, 3], [5, 5, 5])));
        Assert.True(double.IsNaN(Correlation.Spearman([5, 5, 5], [1, 2, 3])));
    }

    [Fact]
    public void Pearson_of_a_constant_series_whose_mean_rounds_is_NaN()
    {
        // 0.1 + 0.1 + 0.1 is not 0.3 in binary floating point, so the computed mean is not exactly 0.1.
        var r = Correlation.Pearson([0.1, 0.1, 0.1], [1, 2, 3]);
        Assert.True(double.IsNaN(r), $"a constant series gave r = {r:R}");
    }

    [Fact]
    public void Series_of_different_lengths_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Correlation.Pearson([1, 2, 3], [1, 2]));
        Assert.Contains("3 and 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Correlation.Spearman([1, 2], [1, 2, 3]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Series_shorter_than_two_are_refused(int length)
    {
        var x = new double[length];
        var e = Assert.Throws<ArgumentException>(() => Correlation.Pearson(x, x));
        Assert.Contains("at least 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Correlation.Spearman(x, x));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Series_holding_NaN_are_refused(bool inFirst)
    {
        double[] good = [1, 2, 3];
        double[] bad = [1, double.NaN, 3];
        var e = Assert.Throws<ArgumentException>(() => inFirst ? Correlation.Pearson(bad, good) : Correlation.Pearson(good, bad));
        Assert.Contains("NaN", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => inFirst ? Correlation.Spearman(bad, good) : Correlation.Spearman(good, bad));
    }

    [Fact]
    public void Spearman_is_invariant_under_strictly_increasing_transforms_of_either_series()
    {
        // Small integers give plenty of ties; the transforms keep distinct values distinct in double precision.
        Gen.Int[2, 60]
            .SelectMany(n => Gen.Select(Gen.Int[-20, 20].Array[n], Gen.Int[-20, 20].Array[n]))
            .Sample((xi, yi) =>
            {
                var x = xi.Select(v => (double)v).ToArray();
                var y = yi.Select(v => (double)v).ToArray();
                var expected = Correlation.Spearman(x, y);

                var expX = x.Select(v => Math.Exp(v / 4)).ToArray();
                var cubeY = y.Select(v => (v * v * v) + v - 7).ToArray();
                var logisticY = y.Select(v => 1 / (1 + Math.Exp(-v / 3))).ToArray();

                AssertSame(expected, Correlation.Spearman(expX, y));
                AssertSame(expected, Correlation.Spearman(x, cubeY));
                AssertSame(expected, Correlation.Spearman(expX, logisticY));
            });
    }

    [Fact]
    public void Spearman_changes_sign_under_a_decreasing_transform()
    {
        Gen.Int[2, 60]
            .SelectMany(n => Gen.Select(Gen.Int[-20, 20].Array[n], Gen.Int[-20, 20].Array[n]))
            .Sample((xi, yi) =>
            {
                var x = xi.Select(v => (double)v).ToArray();
                var y = yi.Select(v => (double)v).ToArray();
                AssertSame(-Correlation.Spearman(x, y), Correlation.Spearman(x, y.Select(v => -Math.Exp(v)).ToArray()));
            });
    }

    [Fact]
    public void Pearson_is_within_minus_one_and_one_and_symmetric()
    {
        Gen.Int[2, 60]
            .SelectMany(n => Gen.Select(Gen.Double[-1000, 1000].Array[n], Gen.Double[-1000, 1000].Array[n]))
            .Sample((x, y) =>
            {
                var r = Correlation.Pearson(x, y);
                if (!double.IsNaN(r))
                {
                    Assert.InRange(r, -1 - 1e-12, 1 + 1e-12);
                }

                AssertSame(r, Correlation.Pearson(y, x));
            });
    }

    private static void AssertSame(double expected, double actual)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"expected NaN but got {actual:R}");
        }
        else
        {
            Assert.Equal(expected, actual, 1e-12);
        }
    }
}
