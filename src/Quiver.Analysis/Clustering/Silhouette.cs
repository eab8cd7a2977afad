namespace Quiver.Analysis.Clustering;

/// <summary>
/// The mean silhouette coefficient (Rousseeuw 1987) with Euclidean distance: for each point, (b − a) / max(a, b),
/// where a is its mean distance to the rest of its cluster and b its mean distance to the nearest other cluster (0
/// for a point alone in its cluster). From −1 (wrong clusters) to 1 (tight, well separated ones). It costs n²
/// distances, so beyond <c>sampleSize</c> points it is computed on a seeded random sample of them, as
/// scikit-learn's <c>silhouette_score(sample_size=…)</c> does. Points labelled −1 (noise) are left out.
/// </summary>
public static class Silhouette
{
    public const int DefaultSampleSize = 5_000;

    public static double Score(float[] vectors, int dimensions, int[] labels, int sampleSize = DefaultSampleSize, int seed = 42, int? threads = null)
    {
        var data = new PointMatrix(vectors, dimensions);
        if (labels.Length != data.Rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {data.Rows} points; give one per point.", nameof(labels));
        }

        return Score(data, labels, sampleSize, seed, threads ?? Environment.ProcessorCount);
    }

    internal static double Score(PointMatrix data, int[] labels, int sampleSize, int seed, int threads)
    {
        var clustered = Enumerable.Range(0, data.Rows).Where(i => labels[i] >= 0).ToArray();
        var points = clustered.Length <= sampleSize
            ? clustered
            : [.. MiniBatchKMeans.Sample(clustered.Length, sampleSize, new Random(seed)).Order().Select(i => clustered[i])];
        var codes = points.Select(i => labels[i]).Distinct().Order().Select((label, code) => (label, code)).ToDictionary(x => x.label, x => x.code);
        var k = codes.Count;
        if (k < 2 || k > points.Length - 1)
        {
            throw new ArgumentException($"The silhouette needs between 2 and {points.Length - 1} clusters among the points it scores; there are {k}.", nameof(labels));
        }

        var cluster = points.Select(i => codes[labels[i]]).ToArray();
        var sizes = new int[k];
        foreach (var c in cluster)
        {
            sizes[c]++;
        }

        var scores = new double[points.Length];
        Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new double[k], (p, _, sums) =>
        {
            Array.Clear(sums);
            for (var q = 0; q < points.Length; q++)
            {
                if (q != p)
                {
                    sums[cluster[q]] += Math.Sqrt(data.SquaredDistance(points[p], points[q]));
                }
            }

            var own = cluster[p];
            if (sizes[own] == 1)
            {
                scores[p] = 0;
                return sums;
            }

            var a = sums[own] / (sizes[own] - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                if (c != own)
                {
                    b = Math.Min(b, sums[c] / sizes[c]);
                }
            }

            var larger = Math.Max(a, b);
            scores[p] = larger == 0 ? 0 : (b - a) / larger;
            return sums;
        }, _ => { });
        return NearestCentroid.Sum(scores) / points.Length;
    }
}
