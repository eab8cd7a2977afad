using Quiver.Analysis.Classification;

namespace Quiver.Analysis.Tests.Classification;

/// <summary>Synthetic labelled vectors for the classifier tests.</summary>
internal static class ClassificationData
{
    /// <summary>Gaussian blobs around well-separated centres, <paramref name="perClass"/> rows per class.</summary>
    public static LabelledVectors Blobs(int classes, int perClass, int dimensions, double spread, int seed = 7)
    {
        var random = new Random(seed);
        var centres = new double[classes][];
        for (var c = 0; c < classes; c++)
        {
            centres[c] = new double[dimensions];
            centres[c][c % dimensions] = 4.0 * (c < dimensions ? 1 : -1);
        }

        var vectors = new float[classes * perClass * dimensions];
        var labels = new int[classes * perClass];
        for (var i = 0; i < labels.Length; i++)
        {
            var c = i % classes;
            labels[i] = c;
            for (var d = 0; d < dimensions; d++)
            {
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                vectors[(i * dimensions) + d] = (float)(centres[c][d] + (spread * gaussian));
            }
        }

        return new LabelledVectors(vectors, dimensions, labels, [.. Enumerable.Range(0, classes).Select(c => $"class{c}")]);
    }
}
