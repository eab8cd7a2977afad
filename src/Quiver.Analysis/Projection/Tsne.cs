using Quiver.Core;

namespace Quiver.Analysis.Projection;

/// <summary>
/// Barnes-Hut t-SNE (van der Maaten 2014) to 2-D or 3-D: sparse input similarities on the 3·perplexity nearest
/// neighbours, a PCA start, early exaggeration, and gradient descent with momentum and per-coordinate gains, the
/// repulsion approximated with a quadtree or octree. Follows scikit-learn's schedule (1.2), so results compare
/// directly. Each point's gradient is computed independently in parallel and summed in a fixed order, so the result
/// does not depend on the thread count.
/// </summary>
public static class Tsne
{
    private const double MinimumGain = 0.01;

    public static float[][] Project(
        IReadOnlyList<float[]> vectors,
        int dimensions,
        TsneOptions options,
        int seed = 42,
        IProgress<ProjectionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckDimensions(dimensions);
        if (options.Perplexity <= 0 || !double.IsFinite(options.Perplexity))
        {
            throw new QuiverException($"The perplexity must be a positive number; got {options.Perplexity}. 30 suits most sets; 5 to 50 is the usual range.");
        }

        var n = vectors?.Count ?? 0;
        if (n <= options.Perplexity + 1)
        {
            throw new QuiverException(
                $"t-SNE with perplexity {options.Perplexity} needs more than {Math.Floor(options.Perplexity) + 1} points; got {n}. Lower the perplexity below the number of points, or project more points.");
        }

        ProjectionInput.Check(vectors!, 3, "t-SNE");
        if (options.Iterations < 1 || options.ExaggerationIterations < 0 || options.Theta < 0)
        {
            throw new QuiverException(
                $"t-SNE needs at least 1 iteration, a non-negative exaggeration phase and theta ≥ 0; got {options.Iterations}, {options.ExaggerationIterations} and {options.Theta}.");
        }

        var k = Math.Min(n - 1, (int)((3 * options.Perplexity) + 1));
        var graph = NeighbourGraph.Exact(vectors!, k, progress, cancellationToken);
        var p = TsneAffinities.Compute(graph, options.Perplexity);
        var y = Start(vectors!, dimensions, seed, cancellationToken);
        var learningRate = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);

        var optimiser = new Optimiser(p, y, n, dimensions, options.Theta);
        var exaggerated = Math.Min(options.ExaggerationIterations, options.Iterations);
        optimiser.Run(0, exaggerated, options.Iterations, options.EarlyExaggeration, 0.5, learningRate, progress, cancellationToken);
        optimiser.Run(exaggerated, options.Iterations, options.Iterations, 1, 0.8, learningRate, progress, cancellationToken);

        var result = new float[n][];
        for (var i = 0; i < n; i++)
        {
            result[i] = new float[dimensions];
            for (var a = 0; a < dimensions; a++)
            {
                result[i][a] = (float)y[(i * dimensions) + a];
            }
        }

        return result;
    }

    internal static void CheckDimensions(int dimensions)
    {
        if (dimensions is not (2 or 3))
        {
            throw new QuiverException($"A map has 2 or 3 dimensions; got {dimensions}. Use 2 for a plot, 3 for a 3-D view.");
        }
    }

    // scikit-learn's "pca" start: the first principal components scaled so the first has standard deviation 1e-4
    // (small, so early exaggeration can form clusters before repulsion spreads them). Vectors with no spread at all
    // start from seeded Gaussian noise of the same size instead.
    private static double[] Start(IReadOnlyList<float[]> vectors, int dimensions, int seed, CancellationToken cancellationToken)
    {
        var n = vectors.Count;
        var y = new double[n * dimensions];
        var components = Math.Min(dimensions, vectors[0].Length);
        var pca = Pca.Fit(vectors, components, cancellationToken);
        var start = pca.Transform(vectors);
        var mean = start.Average(r => (double)r[0]);
        var sd = Math.Sqrt(start.Sum(r => (r[0] - mean) * (r[0] - mean)) / n);
        var random = new SplitMix((ulong)seed);
        for (var i = 0; i < n; i++)
        {
            for (var a = 0; a < dimensions; a++)
            {
                y[(i * dimensions) + a] = sd > 0 && a < components
                    ? start[i][a] / sd * 1e-4
                    : random.NextGaussian() * 1e-4;
            }
        }

        return y;
    }

    private sealed class Optimiser(TsneAffinities p, double[] y, int n, int dimensions, double theta)
    {
        private readonly double[] _attraction = new double[n * dimensions];
        private readonly double[] _repulsion = new double[n * dimensions];
        private readonly double[] _z = new double[n];
        private readonly double[] _gradient = new double[n * dimensions];
        private readonly double[] _update = new double[n * dimensions];
        private readonly double[] _gains = new double[n * dimensions];
        private readonly SpaceTree _tree = new(dimensions);

        public void Run(
            int from, int to, int total, double exaggeration, double momentum, double learningRate,
            IProgress<ProjectionProgress>? progress, CancellationToken cancellationToken)
        {
            // Each phase starts with fresh momentum and gains, as scikit-learn's does.
            Array.Clear(_update);
            Array.Fill(_gains, 1.0);
            for (var iteration = from; iteration < to; iteration++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Gradient(exaggeration);
                for (var x = 0; x < _gradient.Length; x++)
                {
                    var g = _gradient[x];
                    _gains[x] = _update[x] * g < 0 ? _gains[x] + 0.2 : Math.Max(_gains[x] * 0.8, MinimumGain);
                    _update[x] = (momentum * _update[x]) - (learningRate * g * _gains[x]);
                    y[x] += _update[x];
                }

                if ((iteration + 1) % 10 == 0 || iteration + 1 == total)
                {
                    progress?.Report(new ProjectionProgress("t-SNE", iteration + 1, total));
                }
            }
        }

        // ∂C/∂yᵢ = 4 (exaggeration · Σⱼ pᵢⱼ qᵢⱼ (yᵢ − yⱼ) − Σⱼ qᵢⱼ² (yᵢ − yⱼ) / Z), qᵢⱼ = 1 / (1 + |yᵢ − yⱼ|²).
        private void Gradient(double exaggeration)
        {
            _tree.Build(y, n);
            const int Block = 128;
            Parallel.For(0, (n + Block - 1) / Block, () => new int[_tree.StackSize], (b, _, stack) =>
            {
                Span<double> force = stackalloc double[dimensions];
                for (var i = b * Block; i < Math.Min(n, (b + 1) * Block); i++)
                {
                    force.Clear();
                    _z[i] = _tree.Repulsion(y, i, theta, force, stack);
                    force.CopyTo(_repulsion.AsSpan(i * dimensions, dimensions));
                    force.Clear();
                    for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
                    {
                        var j = p.Columns[e];
                        var distanceSquared = 0.0;
                        for (var a = 0; a < dimensions; a++)
                        {
                            var delta = y[(i * dimensions) + a] - y[(j * dimensions) + a];
                            distanceSquared += delta * delta;
                        }

                        var scale = p.Values[e] / (1 + distanceSquared);
                        for (var a = 0; a < dimensions; a++)
                        {
                            force[a] += scale * (y[(i * dimensions) + a] - y[(j * dimensions) + a]);
                        }
                    }

                    force.CopyTo(_attraction.AsSpan(i * dimensions, dimensions));
                }

                return stack;
            }, _ => { });

            var z = 0.0;
            for (var i = 0; i < n; i++)
            {
                z += _z[i];
            }

            z = Math.Max(z, double.Epsilon);
            for (var x = 0; x < _gradient.Length; x++)
            {
                _gradient[x] = 4 * ((exaggeration * _attraction[x]) - (_repulsion[x] / z));
            }
        }
    }
}
