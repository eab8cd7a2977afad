using System.Numerics.Tensors;
using Quiver.Analysis.Projection;
using Quiver.Core;

namespace Quiver.Analysis.Metrics;

/// <summary>
/// Trustworthiness (Venna and Kaski 2001) as scikit-learn's manifold.trustworthiness defines it: 1 − 2 / (n k (2n − 3k − 1))
/// · Σᵢ Σ_{j ∈ Uᵢ} (r(i, j) − k), where Uᵢ are point i's k nearest neighbours in the map that are not among its k
/// nearest in the input, and r(i, j) is j's rank among i's neighbours in the input. 1 means the map invents no
/// neighbours. Euclidean distances on both sides.
/// </summary>
public static class Trustworthiness
{
    public static double Compute(IReadOnlyList<float[]> original, IReadOnlyList<float[]> embedded, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(embedded);
        var n = original.Count;
        if (embedded.Count != n)
        {
            throw new ArgumentException($"{n} input vectors but {embedded.Count} mapped points; give one mapped point per vector.", nameof(embedded));
        }

        if (k < 1 || k >= n / 2.0)
        {
            throw new QuiverException($"The number of neighbours k is {k}; it must be from 1 to below n / 2 = {n / 2.0}.");
        }

        var mapped = NeighbourGraph.Exact(embedded, k);
        var penalties = new long[n];
        Parallel.For(0, n, () => new float[n], (i, _, distances) =>
        {
            var query = original[i];
            for (var j = 0; j < n; j++)
            {
                distances[j] = TensorPrimitives.Distance<float>(query, original[j]);
            }

            long penalty = 0;
            for (var m = 0; m < k; m++)
            {
                var j = mapped.Indices[(i * k) + m];
                var rank = Rank(distances, i, j);
                if (rank > k)
                {
                    penalty += rank - k;
                }
            }

            penalties[i] = penalty;
            return distances;
        }, _ => { });

        var total = penalties.Sum();
        return 1 - (total * (2.0 / (n * (double)k * ((2.0 * n) - (3.0 * k) - 1.0))));
    }

    // j's 1-based rank among i's other points by input distance; ties go to the lower index, as a stable sort would.
    private static int Rank(float[] distances, int i, int j)
    {
        var target = distances[j];
        var rank = 1;
        for (var m = 0; m < distances.Length; m++)
        {
            if (m != i && m != j && (distances[m] < target || (distances[m] == target && m < j)))
            {
                rank++;
            }
        }

        return rank;
    }
}
