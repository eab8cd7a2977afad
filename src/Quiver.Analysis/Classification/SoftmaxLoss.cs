using System.Numerics.Tensors;

namespace Quiver.Analysis.Classification;

/// <summary>
/// The objective multinomial logistic regression minimises, with its gradient: the mean cross-entropy of the softmax
/// over the rows plus ‖W‖² / (2·C·n), the intercepts unpenalised. Up to the factor 1/n this is scikit-learn's
/// <c>C · Σ loss + ½‖W‖²</c>, so both have the same minimum. Parameters are laid out class by class, each class's
/// weights followed by its intercept.
/// </summary>
internal sealed class SoftmaxLoss
{
    // Fixed chunk boundaries (not one per thread) so the sums, and so the fitted weights, do not depend on the thread count.
    private const int ChunkRows = 256;

    private readonly double[] _x;
    private readonly int[] _y;
    private readonly int _rows;
    private readonly int _dimensions;
    private readonly int _classes;
    private readonly double _penalty;
    private readonly int _threads;

    public SoftmaxLoss(LabelledVectors data, double c, int threads)
    {
        _rows = data.Count;
        _dimensions = data.Dimensions;
        _classes = data.Classes.Count;
        _y = data.Labels;
        _x = new double[data.Vectors.Length];
        for (var i = 0; i < _x.Length; i++)
        {
            _x[i] = data.Vectors[i];
        }

        _penalty = 1.0 / (c * _rows);
        _threads = threads;
    }

    /// <summary>Parameters: (dimensions + 1) per class.</summary>
    public int Parameters => _classes * (_dimensions + 1);

    /// <summary>The objective at <paramref name="w"/>; its gradient is written into <paramref name="gradient"/>.</summary>
    public double Evaluate(double[] w, double[] gradient)
    {
        var stride = _dimensions + 1;
        var chunks = (_rows + ChunkRows - 1) / ChunkRows;
        var losses = new double[chunks];
        var gradients = new double[chunks][];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, chunk =>
        {
            var local = new double[Parameters];
            var scores = new double[_classes];
            var loss = 0.0;
            var end = Math.Min(_rows, (chunk + 1) * ChunkRows);
            for (var i = chunk * ChunkRows; i < end; i++)
            {
                var x = _x.AsSpan(i * _dimensions, _dimensions);
                for (var k = 0; k < _classes; k++)
                {
                    scores[k] = TensorPrimitives.Dot(w.AsSpan(k * stride, _dimensions), x) + w[(k * stride) + _dimensions];
                }

                var label = _y[i];
                var raw = scores[label];
                loss += Softmax.InPlace(scores) - raw;
                scores[label] -= 1;
                for (var k = 0; k < _classes; k++)
                {
                    var g = local.AsSpan(k * stride, _dimensions);
                    TensorPrimitives.MultiplyAdd(x, scores[k], g, g);
                    local[(k * stride) + _dimensions] += scores[k];
                }
            }

            losses[chunk] = loss;
            gradients[chunk] = local;
        });

        Array.Clear(gradient);
        var total = 0.0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            total += losses[chunk];
            TensorPrimitives.Add(gradient, gradients[chunk], gradient);
        }

        var scale = 1.0 / _rows;
        TensorPrimitives.Multiply(gradient, scale, gradient);
        total *= scale;
        var norm = 0.0;
        for (var k = 0; k < _classes; k++)
        {
            var weights = w.AsSpan(k * stride, _dimensions);
            norm += TensorPrimitives.Dot(weights, weights);
            var g = gradient.AsSpan(k * stride, _dimensions);
            TensorPrimitives.MultiplyAdd(weights, _penalty, g, g);
        }

        return total + (0.5 * _penalty * norm);
    }
}
