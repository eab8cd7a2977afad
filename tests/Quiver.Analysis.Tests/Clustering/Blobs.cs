namespace Quiver.Analysis.Tests.Clustering;

/// <summary>Well-separated Gaussian blobs: centres far apart on different axes, points within a small spread of them.</summary>
internal static class Blobs
{
    public static (float[] Vectors, int[] Labels) Make(int clusters, int perCluster, int dimensions, int seed, double spread = 0.5, double separation = 20)
    {
        var random = new Random(seed);
        var vectors = new float[clusters * perCluster * dimensions];
        var labels = new int[clusters * perCluster];
        for (var c = 0; c < clusters; c++)
        {
            for (var p = 0; p < perCluster; p++)
            {
                var i = (c * perCluster) + p;
                labels[i] = c;
                for (var j = 0; j < dimensions; j++)
                {
                    var centre = j == c % dimensions ? separation * (1 + (c / dimensions)) : 0;
                    vectors[(i * dimensions) + j] = (float)(centre + (spread * Gaussian(random)));
                }
            }
        }

        return (vectors, labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
