using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Quiver.Training.GloVe;

/// <summary>
/// GloVe's weighted least squares (Pennington et al., 2014), fitted as the glove tool fits it. For each record
/// (i, j, x): diff = wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log x, weighted by f(x) = min(1, (x/x_max)^α); the cost is ½·f(x)·diff²,
/// and every parameter takes an AdaGrad step (η / √(sum of its squared gradients), that sum starting at 1). Threads
/// each take a contiguous range of the shuffled records and update the shared tables without locks (Hogwild), so
/// only a one-thread run is exactly reproducible.
/// </summary>
internal sealed class AdaGradTrainer
{
    private readonly int _dimensions;
    private readonly int _vocabulary;
    private readonly int _stride;
    private readonly float _xMax;
    private readonly float _alpha;
    private readonly float _eta;

    // Rows of (dimensions + 1) floats: the vector and then its bias. Words first, then their context vectors.
    private readonly float[] _weights;
    private readonly float[] _gradientSquares;

    public AdaGradTrainer(int vocabulary, GloVeOptions options)
    {
        _dimensions = options.Dimensions;
        _vocabulary = vocabulary;
        _stride = options.Dimensions + 1;
        _xMax = (float)options.XMax;
        _alpha = (float)options.Alpha;
        _eta = (float)options.LearningRate;
        var size = 2L * vocabulary * _stride;
        _weights = new float[size];
        _gradientSquares = new float[size];

        // glove starts every weight and bias uniform in ±0.5/dimensions and every squared-gradient sum at 1.
        var random = new Random(options.Seed);
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = (float)((random.NextDouble() - 0.5) / _dimensions);
        }

        Array.Fill(_gradientSquares, 1f);
    }

    /// <summary>f(x) = (x/x_max)^α below x_max, 1 above: rare pairs count less, frequent ones are not overweighted.</summary>
    public static double Weight(double x, double xMax, double alpha) => x < xMax ? Math.Pow(x / xMax, alpha) : 1.0;

    /// <summary>
    /// One pass over the records with <paramref name="threads"/> threads; returns the mean cost ½·f(x)·diff² per
    /// record. <paramref name="done"/> counts the records processed so far, for progress.
    /// </summary>
    public double Iterate(ShuffledRecords records, int threads, StrongBox<long> done, CancellationToken cancellationToken)
    {
        var costs = new double[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
        {
            var start = records.Count * t / threads;
            var end = records.Count * (t + 1) / threads;
            var cost = 0.0;
            foreach (var block in records.Read(start, end - start))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (ref readonly var record in block.Span)
                {
                    cost += Step(record);
                }

                Interlocked.Add(ref done.Value, block.Length);
            }

            costs[t] = cost;
        });

        return costs.Sum() / records.Count;
    }

    /// <summary>The trained vectors, as glove's -model 2 saves them: word vector plus context vector, biases left out.</summary>
    public float[] WordPlusContext()
    {
        var vectors = new float[(long)_vocabulary * _dimensions];
        for (var i = 0; i < _vocabulary; i++)
        {
            var word = _weights.AsSpan(i * _stride, _dimensions);
            var context = _weights.AsSpan((_vocabulary + i) * _stride, _dimensions);
            System.Numerics.Tensors.TensorPrimitives.Add(word, context, vectors.AsSpan(i * _dimensions, _dimensions));
        }

        return vectors;
    }

    private double Step(in CooccurrenceRecord record)
    {
        var l1 = record.Word * _stride;
        var l2 = (record.Context + _vocabulary) * _stride;
        ref var w = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref var g = ref MemoryMarshal.GetArrayDataReference(_gradientSquares);
        var word = _weights.AsSpan(l1, _dimensions);
        var context = _weights.AsSpan(l2, _dimensions);
        var x = (float)record.Value;
        var diff = System.Numerics.Tensors.TensorPrimitives.Dot(word, context) + _weights[l1 + _dimensions] + _weights[l2 + _dimensions] - MathF.Log(x);
        var fdiff = (float)Weight(x, _xMax, _alpha) * diff;
        if (!float.IsFinite(fdiff))
        {
            // As glove does: a pair whose error overflowed is skipped rather than poisoning the tables.
            return 0;
        }

        var cost = 0.5 * fdiff * diff;
        fdiff *= _eta;

        // Both updates read the other vector as it was before this step.
        var b = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(fdiff);
            for (; b <= _dimensions - Vector<float>.Count; b += Vector<float>.Count)
            {
                var o1 = (nuint)(l1 + b);
                var o2 = (nuint)(l2 + b);
                var w1 = Vector.LoadUnsafe(ref w, o1);
                var w2 = Vector.LoadUnsafe(ref w, o2);
                var g1 = Vector.LoadUnsafe(ref g, o1);
                var g2 = Vector.LoadUnsafe(ref g, o2);
                var t1 = scale * w2;
                var t2 = scale * w1;
                Vector.StoreUnsafe(w1 - (t1 / Vector.SquareRoot(g1)), ref w, o1);
                Vector.StoreUnsafe(w2 - (t2 / Vector.SquareRoot(g2)), ref w, o2);
                Vector.StoreUnsafe(g1 + (t1 * t1), ref g, o1);
                Vector.StoreUnsafe(g2 + (t2 * t2), ref g, o2);
            }
        }

        for (; b < _dimensions; b++)
        {
            var t1 = fdiff * _weights[l2 + b];
            var t2 = fdiff * _weights[l1 + b];
            _weights[l1 + b] -= t1 / MathF.Sqrt(_gradientSquares[l1 + b]);
            _weights[l2 + b] -= t2 / MathF.Sqrt(_gradientSquares[l2 + b]);
            _gradientSquares[l1 + b] += t1 * t1;
            _gradientSquares[l2 + b] += t2 * t2;
        }

        var bias1 = l1 + _dimensions;
        var bias2 = l2 + _dimensions;
        _weights[bias1] -= fdiff / MathF.Sqrt(_gradientSquares[bias1]);
        _weights[bias2] -= fdiff / MathF.Sqrt(_gradientSquares[bias2]);
        _gradientSquares[bias1] += fdiff * fdiff;
        _gradientSquares[bias2] += fdiff * fdiff;
        return cost;
    }
}
