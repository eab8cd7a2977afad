namespace Quiver.Analysis.Clustering;

/// <summary>
/// k-means++ seeding (Arthur and Vassilvitskii 2007), in its greedy form: each new centre is the best, by the
/// resulting potential (sum of squared distances to the nearest centre), of 2 + ⌊ln k⌋ candidates drawn with
/// probability proportional to the current squared distance.
/// </summary>
internal static class KMeansPlusPlus
{
    public static float[] Seed(PointMatrix data, int k, Random random, int threads)
    {
        var n = data.Rows;
        var d = data.Columns;
        var centers = new float[k * d];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var first = random.Next(n);
        data.Row(first).CopyTo(centers);
        var closest = new float[n];
        Parallel.For(0, n, parallel, i => closest[i] = data.SquaredDistance(i, first));
        var trials = 2 + (int)Math.Log(k);
        var candidateDistances = new float[trials][];
        for (var t = 0; t < trials; t++)
        {
            candidateDistances[t] = new float[n];
        }

        var cumulative = new double[n];
        for (var c = 1; c < k; c++)
        {
            double running = 0;
            for (var i = 0; i < n; i++)
            {
                running += closest[i];
                cumulative[i] = running;
            }

            var candidates = new int[trials];
            for (var t = 0; t < trials; t++)
            {
                candidates[t] = running > 0 ? Math.Min(n - 1, LowerBound(cumulative, random.NextDouble() * running)) : random.Next(n);
            }

            var potentials = new double[trials];
            for (var t = 0; t < trials; t++)
            {
                var candidate = candidates[t];
                var distances = candidateDistances[t];
                Parallel.For(0, n, parallel, i => distances[i] = Math.Min(closest[i], data.SquaredDistance(i, candidate)));
                potentials[t] = Total(distances);
            }

            var best = 0;
            for (var t = 1; t < trials; t++)
            {
                if (potentials[t] < potentials[best])
                {
                    best = t;
                }
            }

            data.Row(candidates[best]).CopyTo(centers.AsSpan(c * d));
            Array.Copy(candidateDistances[best], closest, n);
        }

        return centers;
    }

    // The first index whose cumulative weight reaches the target: sampling with probability proportional to weight.
    private static int LowerBound(double[] cumulative, double target)
    {
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (cumulative[mid] < target)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static double Total(float[] values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }
}
