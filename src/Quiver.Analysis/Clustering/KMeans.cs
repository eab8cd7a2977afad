using Quiver.Core;

namespace Quiver.Analysis.Clustering;

/// <summary>
/// k-means clustering: k-means++ seeding and Lloyd's iterations (or mini-batch k-means for large inputs), the best of
/// several starts by inertia. Distances are SIMD dot products, spread over threads by fixed chunks of points; every
/// random choice comes from the seed, so the same input and options give the same result on any machine.
/// </summary>
public static class KMeans
{
    /// <summary>Clusters the rows of <paramref name="vectors"/> (row-major, <paramref name="dimensions"/> values each).</summary>
    /// <exception cref="ArgumentException">Fewer points than clusters, a k below 1, or a value that is not finite.</exception>
    public static KMeansResult Fit(float[] vectors, int dimensions, KMeansOptions options, IProgress<KMeansProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        PointMatrix.CheckFinite(vectors, dimensions);
        var data = new PointMatrix(vectors, dimensions);
        return Fit(data, options, progress, cancellationToken);
    }

    internal static KMeansResult Fit(PointMatrix data, KMeansOptions options, IProgress<KMeansProgress>? progress, CancellationToken cancellationToken)
    {
        var k = options.K;
        if (k < 1)
        {
            throw new QuiverException($"k must be 1 or more (it is {k}).");
        }

        if (data.Rows < k)
        {
            throw new QuiverException($"{k} clusters need at least {k} points; there are {data.Rows}.");
        }

        if (options.Inits < 1 || options.MaxIterations < 1 || options.BatchSize < 1)
        {
            throw new QuiverException($"Inits, MaxIterations and BatchSize must be 1 or more (they are {options.Inits}, {options.MaxIterations} and {options.BatchSize}).");
        }

        var threads = options.Threads ?? Environment.ProcessorCount;
        var miniBatch = options.MiniBatch ?? data.Rows >= options.MiniBatchAbove;
        var tolerance = options.Tolerance * MeanVariance(data);
        var seeds = new Random(options.Seed);
        KMeansResult? best = null;
        for (var init = 0; init < options.Inits; init++)
        {
            var random = new Random(seeds.Next());
            var current = init + 1;
            void Report(int iteration) => progress?.Report(new KMeansProgress(current, options.Inits, iteration, best?.Inertia ?? double.NaN));
            KMeansResult result;
            if (miniBatch)
            {
                var (centers, labels, inertia, steps) = MiniBatchKMeans.Run(data, options, random, threads, Report, cancellationToken);
                result = new KMeansResult(k, data.Columns, labels, centers, inertia, steps, MiniBatch: true);
            }
            else
            {
                var centers = KMeansPlusPlus.Seed(data, k, random, threads);
                var (labels, inertia, iterations) = Lloyd.Run(data, centers, k, options.MaxIterations, tolerance, threads, Report, cancellationToken);
                result = new KMeansResult(k, data.Columns, labels, centers, inertia, iterations, MiniBatch: false);
            }

            if (best is null || result.Inertia < best.Inertia)
            {
                best = result;
            }
        }

        return best!;
    }

    /// <summary>The sum of squared distances from each point to the centre of its cluster (points labelled −1 are left out).</summary>
    public static double Inertia(float[] vectors, int dimensions, int[] labels)
    {
        var data = new PointMatrix(vectors, dimensions);
        var k = labels.Length == 0 ? 0 : labels.Max() + 1;
        var centers = Centroids(data, labels, k);
        var norms = NearestCentroid.Norms(centers, k, dimensions);
        double total = 0;
        for (var i = 0; i < data.Rows; i++)
        {
            if (labels[i] >= 0)
            {
                total += data.SquaredDistance(i, centers.AsSpan(labels[i] * dimensions, dimensions), norms[labels[i]]);
            }
        }

        return total;
    }

    /// <summary>The mean of each cluster's points (k × dimensions, row-major); points labelled −1 belong to none.</summary>
    internal static float[] Centroids(PointMatrix data, int[] labels, int k)
    {
        var d = data.Columns;
        var sums = new double[k * d];
        var counts = new int[k];
        for (var i = 0; i < data.Rows; i++)
        {
            var c = labels[i];
            if (c < 0)
            {
                continue;
            }

            counts[c]++;
            var row = data.Row(i);
            for (var j = 0; j < d; j++)
            {
                sums[(c * d) + j] += row[j];
            }
        }

        var centers = new float[k * d];
        for (var c = 0; c < k; c++)
        {
            for (var j = 0; j < d; j++)
            {
                centers[(c * d) + j] = counts[c] == 0 ? 0 : (float)(sums[(c * d) + j] / counts[c]);
            }
        }

        return centers;
    }

    // scikit-learn scales the tolerance by the data's mean per-dimension variance, so it does not depend on units.
    private static double MeanVariance(PointMatrix data)
    {
        var d = data.Columns;
        var mean = new double[d];
        var square = new double[d];
        for (var i = 0; i < data.Rows; i++)
        {
            var row = data.Row(i);
            for (var j = 0; j < d; j++)
            {
                mean[j] += row[j];
                square[j] += (double)row[j] * row[j];
            }
        }

        double total = 0;
        for (var j = 0; j < d; j++)
        {
            var m = mean[j] / data.Rows;
            total += Math.Max(0, (square[j] / data.Rows) - (m * m));
        }

        return total / d;
    }
}
