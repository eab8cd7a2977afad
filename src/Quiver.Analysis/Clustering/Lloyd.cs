namespace Quiver.Analysis.Clustering;

/// <summary>
/// Lloyd's iterations from given centres: assign every point to its nearest centre, move each centre to the mean of
/// its points, until no label changes, the centres' total squared shift is within the tolerance, or the iterations
/// run out. The labels returned always belong to the centres returned.
/// </summary>
internal static class Lloyd
{
    public static (int[] Labels, double Inertia, int Iterations) Run(
        PointMatrix data, float[] centers, int k, int maxIterations, double tolerance, int threads, Action<int>? iterationDone, CancellationToken cancellationToken)
    {
        var n = data.Rows;
        var labels = new int[n];
        var previous = new int[n];
        Array.Fill(previous, -1);
        var distances = new float[n];
        double inertia = 0;
        var iterations = 0;
        var current = false;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inertia = NearestCentroid.Assign(data, centers, k, labels, distances, threads);
            iterations = iteration + 1;
            iterationDone?.Invoke(iterations);
            if (labels.AsSpan().SequenceEqual(previous))
            {
                // The centres are already the means of these very labels.
                current = true;
                break;
            }

            labels.CopyTo(previous, 0);
            var shift = Update(data, labels, distances, centers, k, threads);
            if (shift <= tolerance)
            {
                break;
            }
        }

        if (!current)
        {
            inertia = NearestCentroid.Assign(data, centers, k, labels, distances, threads);
        }

        return (labels, inertia, iterations);
    }

    /// <summary>
    /// Moves each centre to the mean of its points (summed in double, in point order); a centre left with no point
    /// takes the point farthest from its own centre. Returns the total squared shift of the centres.
    /// </summary>
    public static double Update(PointMatrix data, int[] labels, float[] distances, float[] centers, int k, int threads)
    {
        var d = data.Columns;
        var (order, starts) = Members(labels, k);
        var shifts = new double[k];
        Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            var count = starts[c + 1] - starts[c];
            if (count == 0)
            {
                return;
            }

            var sum = new double[d];
            for (var m = starts[c]; m < starts[c + 1]; m++)
            {
                var row = data.Row(order[m]);
                for (var j = 0; j < d; j++)
                {
                    sum[j] += row[j];
                }
            }

            var center = centers.AsSpan(c * d, d);
            double shift = 0;
            for (var j = 0; j < d; j++)
            {
                var mean = (float)(sum[j] / count);
                var delta = (double)mean - center[j];
                shift += delta * delta;
                center[j] = mean;
            }

            shifts[c] = shift;
        });

        var empty = Enumerable.Range(0, k).Where(c => starts[c + 1] == starts[c]).ToList();
        if (empty.Count > 0)
        {
            var farthest = Enumerable.Range(0, data.Rows).OrderByDescending(i => distances[i]).ThenBy(i => i).Take(empty.Count).ToList();
            for (var e = 0; e < empty.Count; e++)
            {
                var center = centers.AsSpan(empty[e] * d, d);
                var row = data.Row(farthest[e]);
                double shift = 0;
                for (var j = 0; j < d; j++)
                {
                    var delta = (double)row[j] - center[j];
                    shift += delta * delta;
                }

                row.CopyTo(center);
                shifts[empty[e]] = shift;
                distances[farthest[e]] = 0;
            }
        }

        return NearestCentroid.Sum(shifts);
    }

    /// <summary>The points of each cluster in point order: cluster c's are order[starts[c]..starts[c + 1]].</summary>
    public static (int[] Order, int[] Starts) Members(int[] labels, int k)
    {
        var starts = new int[k + 1];
        foreach (var label in labels)
        {
            starts[label + 1]++;
        }

        for (var c = 0; c < k; c++)
        {
            starts[c + 1] += starts[c];
        }

        var next = starts[..k];
        var order = new int[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            order[next[labels[i]]++] = i;
        }

        return (order, starts);
    }
}
