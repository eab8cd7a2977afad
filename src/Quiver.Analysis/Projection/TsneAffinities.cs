namespace Quiver.Analysis.Projection;

/// <summary>
/// t-SNE's input similarities P on the k-nearest-neighbour graph: for each point a Gaussian whose width is found by
/// binary search so that its entropy matches log(perplexity), then symmetrised and normalised to sum to 1.
/// Stored as compressed rows (both directions of every pair).
/// </summary>
internal sealed class TsneAffinities
{
    private TsneAffinities(int[] rowStart, int[] columns, double[] values)
    {
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    public int[] RowStart { get; }

    public int[] Columns { get; }

    public double[] Values { get; }

    public static TsneAffinities Compute(NeighbourGraph graph, double perplexity)
    {
        int n = graph.Count, k = graph.K;
        var conditional = new double[n * k];
        var target = Math.Log(perplexity);
        Parallel.For(0, n, i =>
        {
            var distances = new double[k];
            for (var j = 0; j < k; j++)
            {
                var d = graph.Distances[(i * k) + j];
                distances[j] = (double)d * d;
            }

            Search(distances, target, conditional.AsSpan(i * k, k));
        });

        // P = (P_cond + P_condᵀ) / sum: gather each pair once from both sides.
        var pairs = new Dictionary<long, double>(n * k * 2);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var other = graph.Indices[(i * k) + j];
                var p = conditional[(i * k) + j];
                Add(pairs, i, other, p);
                Add(pairs, other, i, p);
            }
        }

        var sum = 0.0;
        foreach (var p in pairs.Values)
        {
            sum += p;
        }

        sum = Math.Max(sum, double.Epsilon);
        var counts = new int[n + 1];
        foreach (var key in pairs.Keys)
        {
            counts[(int)(key >> 32) + 1]++;
        }

        for (var i = 0; i < n; i++)
        {
            counts[i + 1] += counts[i];
        }

        var columns = new int[pairs.Count];
        var values = new double[pairs.Count];
        var next = counts[..n];
        foreach (var (key, p) in pairs.OrderBy(pair => pair.Key))
        {
            var row = (int)(key >> 32);
            var at = next[row]++;
            columns[at] = (int)(key & 0xFFFFFFFF);
            values[at] = p / sum;
        }

        return new TsneAffinities(counts, columns, values);
    }

    private static void Add(Dictionary<long, double> pairs, int i, int j, double p)
    {
        var key = ((long)i << 32) | (uint)j;
        pairs[key] = pairs.GetValueOrDefault(key) + p;
    }

    // The conditional P_j|i = exp(-d_ij β) / Σ, with β (1 / 2σ²) bisected until the entropy is within 1e-5 of the target.
    private static void Search(double[] distances, double target, Span<double> p)
    {
        double beta = 1, low = double.NegativeInfinity, high = double.PositiveInfinity;
        for (var step = 0; step < 100; step++)
        {
            var sum = 0.0;
            for (var j = 0; j < distances.Length; j++)
            {
                p[j] = Math.Exp(-distances[j] * beta);
                sum += p[j];
            }

            sum = sum == 0 ? 1e-8 : sum;
            var weighted = 0.0;
            for (var j = 0; j < distances.Length; j++)
            {
                p[j] /= sum;
                weighted += distances[j] * p[j];
            }

            var difference = Math.Log(sum) + (beta * weighted) - target;
            if (Math.Abs(difference) <= 1e-5)
            {
                break;
            }

            if (difference > 0)
            {
                low = beta;
                beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2;
            }
            else
            {
                high = beta;
                beta = double.IsNegativeInfinity(low) ? beta / 2 : (beta + low) / 2;
            }
        }
    }
}
