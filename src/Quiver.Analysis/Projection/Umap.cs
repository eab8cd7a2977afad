using Quiver.Core;

namespace Quiver.Analysis.Projection;

/// <summary>
/// UMAP (McInnes, Healy and Melville 2018) to 2-D or 3-D: a fuzzy simplicial set on the exact k nearest neighbours,
/// a PCA start scaled to [0, 10], then stochastic gradient descent on the fuzzy cross-entropy with edges sampled in
/// proportion to their weight and negative sampling, as umap-learn's optimize_layout_euclidean does.
/// </summary>
/// <remarks>
/// The neighbour search runs in parallel; the descent runs on one thread, because umap-learn's parallel descent lets
/// threads race on shared points and so gives a different map on every run. One thread keeps the promise that a seed
/// fixes the result, and takes a few seconds for 10,000 points.
/// </remarks>
public static class Umap
{
    public static float[][] Project(
        IReadOnlyList<float[]> vectors,
        int dimensions,
        UmapOptions options,
        int seed = 42,
        IProgress<ProjectionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Tsne.CheckDimensions(dimensions);
        if (options.Neighbours < 2)
        {
            throw new QuiverException($"UMAP needs a neighbourhood of at least 2 (the point and one other); got {options.Neighbours}. 15 suits most sets.");
        }

        var n = vectors?.Count ?? 0;
        if (n <= options.Neighbours)
        {
            throw new QuiverException(
                $"UMAP with {options.Neighbours} neighbours needs more than {options.Neighbours} points; got {n}. Lower the neighbours below the number of points, or project more points.");
        }

        ProjectionInput.Check(vectors!, 3, "UMAP");
        if (options.Epochs is < 1 || options.NegativeSampleRate < 0 || !(options.LearningRate > 0))
        {
            throw new QuiverException(
                $"UMAP needs at least 1 epoch, a non-negative negative-sample rate and a positive learning rate; got {options.Epochs}, {options.NegativeSampleRate} and {options.LearningRate}.");
        }

        var (a, b) = UmapCurve.Fit(options.MinDistance, options.Spread);
        var graph = NeighbourGraph.Exact(vectors!, options.Neighbours - 1, progress, cancellationToken);
        var set = FuzzySimplicialSet.Build(graph);
        var epochs = options.Epochs ?? (n <= 10_000 ? 500 : 200);
        var y = Start(vectors!, dimensions, seed, cancellationToken);

        // Edges too weak to be sampled even once in the whole run are dropped, as umap-learn does.
        var strongest = set.Weights.Max();
        var edges = Enumerable.Range(0, set.Weights.Length).Where(e => set.Weights[e] >= strongest / epochs).ToArray();
        var heads = edges.Select(e => set.Heads[e]).ToArray();
        var tails = edges.Select(e => set.Tails[e]).ToArray();
        var perSample = edges.Select(e => strongest / set.Weights[e]).ToArray();

        Optimise(y, n, dimensions, heads, tails, perSample, epochs, a, b, options, seed, progress, cancellationToken);

        var result = new float[n][];
        for (var i = 0; i < n; i++)
        {
            result[i] = y.AsSpan(i * dimensions, dimensions).ToArray();
        }

        return result;
    }

    // umap-learn's init="pca": principal components rescaled so each coordinate spans [0, 10], with a little seeded
    // noise so coincident points can separate.
    private static float[] Start(IReadOnlyList<float[]> vectors, int dimensions, int seed, CancellationToken cancellationToken)
    {
        var n = vectors.Count;
        var components = Math.Min(dimensions, vectors[0].Length);
        var start = Pca.Fit(vectors, components, cancellationToken).Transform(vectors);
        var random = new SplitMix((ulong)seed ^ 0x5EED);
        var y = new float[n * dimensions];
        for (var a = 0; a < dimensions; a++)
        {
            float low = float.PositiveInfinity, high = float.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                var value = a < components ? start[i][a] : 0;
                low = Math.Min(low, value);
                high = Math.Max(high, value);
            }

            var range = high - low;
            for (var i = 0; i < n; i++)
            {
                var value = a < components ? start[i][a] : 0;
                var scaled = range > 0 ? 10 * (value - low) / range : 5;
                y[(i * dimensions) + a] = (float)(scaled + (random.NextGaussian() * 1e-4));
            }
        }

        return y;
    }

    private static void Optimise(
        float[] y, int n, int d, int[] heads, int[] tails, double[] perSample, int epochs, double a, double b,
        UmapOptions options, int seed, IProgress<ProjectionProgress>? progress, CancellationToken cancellationToken)
    {
        var rate = options.NegativeSampleRate;
        var perNegative = perSample.Select(s => s / Math.Max(rate, 1e-12)).ToArray();
        var nextSample = (double[])perSample.Clone();
        var nextNegative = (double[])perNegative.Clone();
        var random = new SplitMix((ulong)seed);
        float fa = (float)a, fb = (float)b;
        Span<float> delta = stackalloc float[d];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var alpha = (float)(options.LearningRate * (1 - ((double)epoch / epochs)));
            for (var e = 0; e < heads.Length; e++)
            {
                if (nextSample[e] > epoch)
                {
                    continue;
                }

                var current = y.AsSpan(heads[e] * d, d);
                var other = y.AsSpan(tails[e] * d, d);
                var distanceSquared = Difference(current, other, delta);
                var coefficient = distanceSquared > 0
                    ? -2 * fa * fb * MathF.Pow(distanceSquared, fb - 1) / ((fa * MathF.Pow(distanceSquared, fb)) + 1)
                    : 0;
                for (var x = 0; x < d; x++)
                {
                    var step = Math.Clamp(coefficient * delta[x], -4, 4) * alpha;
                    current[x] += step;
                    other[x] -= step;
                }

                nextSample[e] += perSample[e];
                var negatives = rate > 0 ? (int)((epoch - nextNegative[e]) / perNegative[e]) : 0;
                for (var s = 0; s < negatives; s++)
                {
                    var k = random.NextInt(n);
                    if (k == heads[e])
                    {
                        continue;
                    }

                    other = y.AsSpan(k * d, d);
                    distanceSquared = Difference(current, other, delta);
                    coefficient = distanceSquared > 0
                        ? 2 * fb / ((0.001f + distanceSquared) * ((fa * MathF.Pow(distanceSquared, fb)) + 1))
                        : 0;
                    for (var x = 0; x < d; x++)
                    {
                        // Coincident points get the largest push, so they separate.
                        var step = coefficient > 0 ? Math.Clamp(coefficient * delta[x], -4, 4) : 4;
                        current[x] += step * alpha;
                    }
                }

                nextNegative[e] += negatives * perNegative[e];
            }

            if ((epoch + 1) % 10 == 0 || epoch + 1 == epochs)
            {
                progress?.Report(new ProjectionProgress("UMAP", epoch + 1, epochs));
            }
        }
    }

    private static float Difference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> delta)
    {
        var sum = 0f;
        for (var x = 0; x < a.Length; x++)
        {
            delta[x] = a[x] - b[x];
            sum += delta[x] * delta[x];
        }

        return sum;
    }
}
