namespace Quiver.Analysis.Clustering;

/// <summary>
/// The first half of HDBSCAN: each point's core distance (to its min_samples-th nearest neighbour, itself first) and
/// a minimum spanning tree of the mutual reachability distance max(core(a), core(b), d(a, b)). Prim's algorithm on
/// the implicit complete graph needs no n × n matrix: n² / 2 distances, computed as needed, in parallel.
/// </summary>
internal static class MutualReachability
{
    public static double[] CoreDistances(PointMatrix data, int minSamples, int threads)
    {
        var n = data.Rows;
        var core = new double[n];
        var neighbours = Math.Min(minSamples, n);
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new float[neighbours], (i, _, nearest) =>
        {
            // The smallest distances so far, ascending; the point itself (distance 0) takes the first place.
            Array.Fill(nearest, float.PositiveInfinity);
            for (var j = 0; j < n; j++)
            {
                var d = j == i ? 0f : data.SquaredDistance(i, j);
                if (d < nearest[^1])
                {
                    var at = nearest.Length - 1;
                    while (at > 0 && nearest[at - 1] > d)
                    {
                        nearest[at] = nearest[at - 1];
                        at--;
                    }

                    nearest[at] = d;
                }
            }

            core[i] = Math.Sqrt(nearest[^1]);
            return nearest;
        }, _ => { });
        return core;
    }

    /// <summary>The n − 1 edges of the tree as (a, b, mutual reachability distance), in the order Prim adds them.</summary>
    public static (int A, int B, double Distance)[] SpanningTree(PointMatrix data, double[] core, int threads, Action<int>? progress, CancellationToken cancellationToken)
    {
        var n = data.Rows;
        var inTree = new bool[n];
        var best = new double[n];
        var from = new int[n];
        Array.Fill(best, double.PositiveInfinity);
        var edges = new (int, int, double)[n - 1];
        var current = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        for (var step = 0; step < n - 1; step++)
        {
            inTree[current] = true;
            var added = current;
            Parallel.For(0, (n + 1023) / 1024, parallel, chunk =>
            {
                var end = Math.Min(n, (chunk + 1) * 1024);
                for (var j = chunk * 1024; j < end; j++)
                {
                    if (inTree[j])
                    {
                        continue;
                    }

                    var d = Math.Max(Math.Max(core[added], core[j]), Math.Sqrt(data.SquaredDistance(added, j)));
                    if (d < best[j])
                    {
                        best[j] = d;
                        from[j] = added;
                    }
                }
            });

            var next = -1;
            for (var j = 0; j < n; j++)
            {
                if (!inTree[j] && (next < 0 || best[j] < best[next]))
                {
                    next = j;
                }
            }

            edges[step] = (from[next], next, best[next]);
            current = next;
            if ((step & 255) == 0)
            {
                progress?.Invoke(step);
            }
        }

        return edges;
    }
}
