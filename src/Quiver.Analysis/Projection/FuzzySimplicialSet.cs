namespace Quiver.Analysis.Projection;

/// <summary>
/// UMAP's high-dimensional graph: each point's neighbour distances turned into memberships exp(−(d − ρ) / σ), with
/// ρ the distance to its nearest neighbour and σ bisected so the memberships sum to log₂(k) (smooth k-NN distance),
/// then symmetrised by fuzzy union, a + b − a·b. Edges come in both directions, ordered by head then tail.
/// </summary>
internal sealed class FuzzySimplicialSet
{
    private FuzzySimplicialSet(int[] heads, int[] tails, double[] weights)
    {
        Heads = heads;
        Tails = tails;
        Weights = weights;
    }

    public int[] Heads { get; }

    public int[] Tails { get; }

    public double[] Weights { get; }

    /// <param name="graph">Each point's nearest others; k here is umap-learn's n_neighbors minus the point itself.</param>
    public static FuzzySimplicialSet Build(NeighbourGraph graph)
    {
        int n = graph.Count, k = graph.K;
        var neighbours = k + 1;
        var target = Math.Log2(neighbours);
        var meanOfAll = 0.0;
        foreach (var d in graph.Distances)
        {
            meanOfAll += d;
        }

        meanOfAll /= n * neighbours;
        var membership = new double[n * k];
        Parallel.For(0, n, i =>
        {
            var row = graph.Distances.AsSpan(i * k, k);
            var rho = 0.0;
            var mean = 0.0;
            foreach (var d in row)
            {
                mean += d;
                if (rho == 0 && d > 0)
                {
                    rho = d;
                }
            }

            // umap-learn's row includes the point itself at distance 0.
            mean /= neighbours;
            var sigma = Sigma(row, rho, target);
            var floor = 1e-3 * (rho > 0 ? mean : meanOfAll);
            sigma = Math.Max(sigma, floor);
            for (var j = 0; j < k; j++)
            {
                var excess = row[j] - rho;
                membership[(i * k) + j] = excess <= 0 || sigma == 0 ? 1 : Math.Exp(-excess / sigma);
            }
        });

        var directed = new Dictionary<long, double>(n * k);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < k; j++)
            {
                directed[Key(i, graph.Indices[(i * k) + j])] = membership[(i * k) + j];
            }
        }

        var union = new SortedDictionary<long, double>();
        foreach (var (key, a) in directed)
        {
            int i = (int)(key >> 32), j = (int)(key & 0xFFFFFFFF);
            var b = directed.GetValueOrDefault(Key(j, i));
            var w = a + b - (a * b);
            union[key] = w;
            union[Key(j, i)] = w;
        }

        var heads = new int[union.Count];
        var tails = new int[union.Count];
        var weights = new double[union.Count];
        var at = 0;
        foreach (var (key, w) in union)
        {
            heads[at] = (int)(key >> 32);
            tails[at] = (int)(key & 0xFFFFFFFF);
            weights[at] = w;
            at++;
        }

        return new FuzzySimplicialSet(heads, tails, weights);
    }

    private static long Key(int i, int j) => ((long)i << 32) | (uint)j;

    private static double Sigma(ReadOnlySpan<float> row, double rho, double target)
    {
        double low = 0, high = double.PositiveInfinity, mid = 1;
        for (var step = 0; step < 64; step++)
        {
            var sum = 0.0;
            foreach (var d in row)
            {
                var excess = d - rho;
                sum += excess > 0 ? Math.Exp(-excess / mid) : 1;
            }

            if (Math.Abs(sum - target) < 1e-5)
            {
                break;
            }

            if (sum > target)
            {
                high = mid;
                mid = (low + high) / 2;
            }
            else
            {
                low = mid;
                mid = double.IsPositiveInfinity(high) ? mid * 2 : (low + high) / 2;
            }
        }

        return mid;
    }
}
