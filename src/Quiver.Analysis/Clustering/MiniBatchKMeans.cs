namespace Quiver.Analysis.Clustering;

/// <summary>
/// Mini-batch k-means (Sculley 2010) for inputs too large for many full passes: centres seeded by k-means++ on a
/// sample, then moved towards each batch's points with a per-centre learning rate of 1 / (points it has taken), until
/// the smoothed batch inertia stops improving; a last full pass gives every point its label.
/// </summary>
internal static class MiniBatchKMeans
{
    private const int PatienceSteps = 10;

    public static (float[] Centers, int[] Labels, double Inertia, int Steps) Run(
        PointMatrix data, KMeansOptions options, Random random, int threads, Action<int>? stepDone, CancellationToken cancellationToken)
    {
        var n = data.Rows;
        var d = data.Columns;
        var k = options.K;
        var batch = Math.Min(options.BatchSize, n);

        // Seeds come from a sample of three batches (at least 3k points), as a full k-means++ pass would be most of the cost.
        var sample = Sample(n, Math.Min(n, Math.Max(3 * batch, 3 * k)), random);
        var sampleData = new PointMatrix([.. sample.SelectMany(i => data.Row(i).ToArray())], d);
        var centers = KMeansPlusPlus.Seed(sampleData, k, random, threads);

        var counts = new long[k];
        var labels = new int[batch];
        var distances = new float[batch];
        var maxSteps = Math.Clamp(options.MaxIterations * n / batch, 100, 100 * Math.Max(1, n / batch));
        double smoothed = double.NaN, best = double.PositiveInfinity;
        var sinceBest = 0;
        var steps = 0;
        var alpha = Math.Min(1.0, batch * 2.0 / (n + 1));
        for (var step = 0; step < maxSteps && sinceBest < PatienceSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indices = new int[batch];
            for (var b = 0; b < batch; b++)
            {
                indices[b] = random.Next(n);
            }

            var norms = NearestCentroid.Norms(centers, k, d);
            Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
                (labels[b], distances[b]) = NearestCentroid.Nearest(data, indices[b], centers, norms, k));
            double batchInertia = 0;
            for (var b = 0; b < batch; b++)
            {
                batchInertia += distances[b];
                var c = labels[b];
                var rate = 1f / ++counts[c];
                var center = centers.AsSpan(c * d, d);
                var row = data.Row(indices[b]);
                for (var j = 0; j < d; j++)
                {
                    center[j] += rate * (row[j] - center[j]);
                }
            }

            batchInertia /= batch;
            smoothed = double.IsNaN(smoothed) ? batchInertia : (smoothed * (1 - alpha)) + (batchInertia * alpha);
            if (smoothed < best)
            {
                best = smoothed;
                sinceBest = 0;
            }
            else
            {
                sinceBest++;
            }

            steps = step + 1;
            stepDone?.Invoke(steps);
        }

        var all = new int[n];
        var inertia = NearestCentroid.Assign(data, centers, k, all, new float[n], threads);
        return (centers, all, inertia, steps);
    }

    // Distinct indices drawn without replacement (a partial Fisher–Yates shuffle), in the order drawn.
    internal static int[] Sample(int n, int count, Random random)
    {
        var pool = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + random.Next(n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        return pool[..count];
    }
}
