using Quiver.Core;

namespace Quiver.Analysis.Clustering;

/// <summary>
/// Chooses k for k-means when none is given: fits each k of a range and keeps the one whose clusters have the
/// highest mean silhouette (sampled beyond <see cref="Silhouette.DefaultSampleSize"/> points). The inertias come
/// along for an elbow chart.
/// </summary>
public static class KSelection
{
    /// <param name="options">The k-means settings for every fit; its K is replaced by each k of the range.</param>
    /// <param name="kDone">Reports each k once it is fitted and scored.</param>
    public static KChoice BySilhouette(
        float[] vectors, int dimensions, int minK, int maxK, KMeansOptions options, int sampleSize = Silhouette.DefaultSampleSize,
        IProgress<KScore>? kDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        PointMatrix.CheckFinite(vectors, dimensions);
        var data = new PointMatrix(vectors, dimensions);
        if (minK < 2 || maxK < minK)
        {
            throw new QuiverException($"The range of k must start at 2 or more and not end before it starts ({minK}..{maxK}).");
        }

        if (maxK > data.Rows - 1)
        {
            throw new QuiverException($"k up to {maxK} needs at least {maxK + 1} points for a silhouette; there are {data.Rows}.");
        }

        var threads = options.Threads ?? Environment.ProcessorCount;
        var scores = new List<KScore>();
        KMeansResult? best = null;
        var bestSilhouette = double.NegativeInfinity;
        for (var k = minK; k <= maxK; k++)
        {
            var fit = KMeans.Fit(data, options with { K = k }, null, cancellationToken);
            var silhouette = Silhouette.Score(data, fit.Labels, sampleSize, options.Seed, threads);
            var score = new KScore(k, silhouette, fit.Inertia);
            scores.Add(score);
            kDone?.Report(score);
            if (silhouette > bestSilhouette)
            {
                (best, bestSilhouette) = (fit, silhouette);
            }
        }

        return new KChoice(scores, best!);
    }
}
