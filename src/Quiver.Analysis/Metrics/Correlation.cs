namespace Quiver.Analysis.Metrics;

/// <summary>Pearson and Spearman correlation, the standard metrics of word-similarity and STS evaluation.</summary>
public static class Correlation
{
    /// <summary>Pearson's r. Undefined (NaN) when either series is constant.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);

        // Test constancy exactly: a rounded mean leaves tiny non-zero deviations in a constant series.
        if (x.All(v => v == x[0]) || y.All(v => v == y[0]))
        {
            return double.NaN;
        }

        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Spearman's rho: Pearson's r of the ranks, tied values sharing their average rank.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>1-based ranks, ties given the mean of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                ranks[order[i]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"The series differ in length: {x.Count} and {y.Count}.", nameof(y));
        }

        if (x.Count < 2)
        {
            throw new ArgumentException($"A correlation needs at least 2 pairs, got {x.Count}.", nameof(x));
        }

        if (x.Any(double.IsNaN) || y.Any(double.IsNaN))
        {
            throw new ArgumentException("A series holds NaN; remove the pairs with missing values first.", nameof(x));
        }
    }
}
