using Quiver.Models.Static;

namespace Quiver.Models.Tests;

/// <summary>Small word-vector fixtures built in memory, and the double-precision reference math the tests compare against.</summary>
internal static class TestVectors
{
    public static WordVectors Random(int count, int dimensions, int seed, string prefix = "w")
    {
        var random = new Random(seed);
        var words = Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToArray();
        var table = new float[count * dimensions];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (float)Gaussian(random);
        }

        return new WordVectors(words, table, dimensions);
    }

    public static WordVectors FromRows(params (string Word, float[] Vector)[] rows)
    {
        var dimensions = rows[0].Vector.Length;
        return new WordVectors(rows.Select(r => r.Word).ToArray(), rows.SelectMany(r => r.Vector).ToArray(), dimensions);
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static double[] Unit(ReadOnlySpan<float> v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        var result = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            result[i] = v[i] / norm;
        }

        return result;
    }

    public static double[] Unit(double[] v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        return v.Select(x => x / norm).ToArray();
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b));

    public static double Norm(ReadOnlySpan<float> v) => Math.Sqrt(Dot(v, v));

    public static double MaxAbsDifference(ReadOnlySpan<float> actual, double[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        }

        return worst;
    }

    /// <summary>
    /// Checks a ranked answer against a brute-force scoring of every candidate: the answer has the reference's length,
    /// its scores are non-increasing and equal, position by position, to the reference top scores, and each returned
    /// word is scored as the reference scores it. This accepts either order of a near tie and nothing else.
    /// </summary>
    public static void AssertRanking(IReadOnlyList<WordScore> actual, IReadOnlyDictionary<string, double> candidates, int k, double tolerance = 1e-5)
    {
        var expected = candidates.OrderByDescending(c => c.Value).Take(k).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.True(
                candidates.TryGetValue(actual[i].Word, out var score),
                $"'{actual[i].Word}' at position {i} is not a candidate (excluded or outside the restriction)");
            Assert.True(Math.Abs(actual[i].Score - score) <= tolerance, $"'{actual[i].Word}' scored {actual[i].Score}, brute force {score}");
            Assert.True(
                Math.Abs(actual[i].Score - expected[i].Value) <= tolerance,
                $"position {i}: '{actual[i].Word}' {actual[i].Score}, brute force '{expected[i].Key}' {expected[i].Value}");
            if (i > 0)
            {
                Assert.True(actual[i].Score <= actual[i - 1].Score, $"scores not sorted at position {i}");
            }
        }
    }
}
