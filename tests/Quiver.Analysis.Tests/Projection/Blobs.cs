namespace Quiver.Analysis.Tests.Projection;

/// <summary>Gaussian blobs around far-apart centres: a set any neighbourhood-keeping map must keep apart.</summary>
internal static class Blobs
{
    public static (float[][] Vectors, int[] Labels) Make(int blobs, int perBlob, int dimensions, int seed, double separation = 10)
    {
        var random = new Random(seed);
        var vectors = new float[blobs * perBlob][];
        var labels = new int[blobs * perBlob];
        for (var b = 0; b < blobs; b++)
        {
            var centre = new double[dimensions];
            centre[b % dimensions] = separation * (1 + (b / dimensions));
            for (var p = 0; p < perBlob; p++)
            {
                var v = new float[dimensions];
                for (var d = 0; d < dimensions; d++)
                {
                    v[d] = (float)(centre[d] + Gaussian(random));
                }

                vectors[(b * perBlob) + p] = v;
                labels[(b * perBlob) + p] = b;
            }
        }

        return (vectors, labels);
    }

    /// <summary>The share of points whose nearest other point in <paramref name="map"/> has the same label.</summary>
    public static double NearestNeighbourAgreement(IReadOnlyList<float[]> map, int[] labels)
    {
        var agree = 0;
        for (var i = 0; i < map.Count; i++)
        {
            var best = -1;
            var bestDistance = double.PositiveInfinity;
            for (var j = 0; j < map.Count; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var d = Distance(map[i], map[j]);
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = j;
                }
            }

            agree += labels[best] == labels[i] ? 1 : 0;
        }

        return (double)agree / map.Count;
    }

    /// <summary>The smallest distance between two blobs' centroids over the largest mean distance of a point to its own centroid.</summary>
    public static double SeparationRatio(IReadOnlyList<float[]> map, int[] labels)
    {
        var groups = labels.Distinct().ToArray();
        var centroids = groups.Select(g => Centroid(map.Where((_, i) => labels[i] == g).ToList())).ToArray();
        var spread = groups.Select((g, c) => map.Where((_, i) => labels[i] == g).Average(p => Distance(p, centroids[c]))).Max();
        var gap = double.PositiveInfinity;
        for (var a = 0; a < groups.Length; a++)
        {
            for (var b = a + 1; b < groups.Length; b++)
            {
                gap = Math.Min(gap, Distance(centroids[a], centroids[b]));
            }
        }

        return gap / spread;
    }

    public static double Distance(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        var sum = 0.0;
        for (var d = 0; d < a.Count; d++)
        {
            sum += (a[d] - b[d]) * (double)(a[d] - b[d]);
        }

        return Math.Sqrt(sum);
    }

    private static float[] Centroid(List<float[]> points)
    {
        var c = new float[points[0].Length];
        foreach (var p in points)
        {
            for (var d = 0; d < c.Length; d++)
            {
                c[d] += p[d] / points.Count;
            }
        }

        return c;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
