namespace Quiver.Analysis.Classification;

/// <summary>Predictions of any <see cref="IVectorClassifier"/> over many rows.</summary>
public static class VectorClassifiers
{
    /// <summary>The probabilities of every row of <paramref name="vectors"/> (rows × dimensions, row-major), rows in parallel.</summary>
    public static double[][] PredictAll(this IVectorClassifier classifier, float[] vectors, int threads = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(vectors);
        var dimensions = classifier.Dimensions;
        if (vectors.Length % dimensions != 0)
        {
            throw new Quiver.Core.QuiverException($"{vectors.Length} values are not whole rows of {dimensions} dimensions, the vectors this classifier takes.");
        }

        var rows = vectors.Length / dimensions;
        var result = new double[rows][];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.For(0, rows, options, i =>
        {
            result[i] = new double[classifier.Classes.Count];
            classifier.Predict(vectors.AsSpan(i * dimensions, dimensions), result[i]);
        });
        return result;
    }

    /// <summary>The most probable class of each row.</summary>
    public static int[] Decide(double[][] probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        return [.. probabilities.Select(p =>
        {
            var best = 0;
            for (var c = 1; c < p.Length; c++)
            {
                if (p[c] > p[best])
                {
                    best = c;
                }
            }

            return best;
        })];
    }

    /// <summary>The <paramref name="top"/> most probable classes, most probable first.</summary>
    public static IReadOnlyList<ClassPrediction> Top(IReadOnlyList<string> classes, double[] probabilities, int top)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(probabilities);
        return [.. Enumerable.Range(0, classes.Count).OrderByDescending(c => probabilities[c]).ThenBy(c => c).Take(top).Select(c => new ClassPrediction(classes[c], probabilities[c]))];
    }
}
