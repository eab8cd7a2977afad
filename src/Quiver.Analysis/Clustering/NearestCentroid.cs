using System.Numerics.Tensors;

namespace Quiver.Analysis.Clustering;

/// <summary>
/// The E-step every k-means variant shares: each point's nearest centre and squared distance, in parallel over fixed
/// chunks of points. Chunk sums are added in chunk order, so the inertia is the same whatever the thread count.
/// </summary>
internal static class NearestCentroid
{
    private const int Chunk = 512;

    /// <summary>Fills <paramref name="labels"/> and <paramref name="distances"/> for all rows; returns the inertia (sum of squared distances).</summary>
    public static double Assign(PointMatrix data, float[] centers, int k, int[] labels, float[] distances, int threads)
    {
        var norms = Norms(centers, k, data.Columns);
        var chunks = (data.Rows + Chunk - 1) / Chunk;
        var sums = new double[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            var end = Math.Min(data.Rows, (chunk + 1) * Chunk);
            double sum = 0;
            for (var i = chunk * Chunk; i < end; i++)
            {
                var (best, distance) = Nearest(data, i, centers, norms, k);
                labels[i] = best;
                distances[i] = distance;
                sum += distance;
            }

            sums[chunk] = sum;
        });
        return Sum(sums);
    }

    /// <summary>The nearest of the first <paramref name="k"/> centres to row <paramref name="i"/>, and its squared distance.</summary>
    public static (int Cluster, float Distance) Nearest(PointMatrix data, int i, float[] centers, float[] norms, int k)
    {
        var row = data.Row(i);
        var best = 0;
        var bestDistance = float.PositiveInfinity;
        for (var c = 0; c < k; c++)
        {
            var d = data.SquaredNorms[i] + norms[c] - (2 * TensorPrimitives.Dot(row, centers.AsSpan(c * data.Columns, data.Columns)));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        return (best, Math.Max(0f, bestDistance));
    }

    public static float[] Norms(float[] centers, int k, int columns)
    {
        var norms = new float[k];
        for (var c = 0; c < k; c++)
        {
            var center = centers.AsSpan(c * columns, columns);
            norms[c] = TensorPrimitives.Dot(center, center);
        }

        return norms;
    }

    // Sums in a fixed order, so parallel chunk results add up to the same value on every run.
    public static double Sum(double[] values)
    {
        double total = 0;
        foreach (var v in values)
        {
            total += v;
        }

        return total;
    }
}
