using System.Numerics.Tensors;
using Quiver.Core;

namespace Quiver.Analysis.Classification;

/// <summary>
/// k-nearest-neighbour classification by cosine: the training vectors are kept at unit length, a vector's k most
/// similar ones vote, and each class's probability is its share of the k votes. A tie between classes goes to the
/// one whose voters are more similar in total.
/// </summary>
public sealed class KnnClassifier : IVectorClassifier
{
    private readonly float[] _unit;
    private readonly int[] _labels;

    private KnnClassifier(IReadOnlyList<string> classes, int dimensions, float[] unit, int[] labels, int k)
    {
        Classes = classes;
        Dimensions = dimensions;
        _unit = unit;
        _labels = labels;
        K = k;
    }

    public IReadOnlyList<string> Classes { get; }

    public int Dimensions { get; }

    public int K { get; }

    /// <summary>The training vectors, scaled to unit length, row after row (what a saved classifier stores).</summary>
    public ReadOnlySpan<float> UnitVectors => _unit;

    public IReadOnlyList<int> RowLabels => _labels;

    /// <summary>Keeps <paramref name="data"/> (scaled to unit length) to vote with its <paramref name="k"/> nearest rows.</summary>
    public static KnnClassifier Fit(LabelledVectors data, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.RequireTrainable("The training data");
        if (k < 1 || k > data.Count)
        {
            throw new QuiverException($"k = {k} neighbours, but there are {data.Count:N0} training rows; give k from 1 to {data.Count:N0} (5 is usual).");
        }

        var unit = new float[data.Vectors.Length];
        for (var i = 0; i < data.Count; i++)
        {
            var row = data.Row(i);
            var norm = TensorPrimitives.Norm(row);
            if (norm == 0)
            {
                throw new QuiverException($"Training row {i} is a zero vector, which has no direction to compare by cosine. Remove it first.");
            }

            TensorPrimitives.Divide(row, norm, unit.AsSpan(i * data.Dimensions, data.Dimensions));
        }

        return new KnnClassifier(data.Classes, data.Dimensions, unit, data.Labels, k);
    }

    /// <summary>A classifier from stored unit vectors and their labels (a saved kNN classifier).</summary>
    public static KnnClassifier FromUnitVectors(IReadOnlyList<string> classes, int dimensions, float[] unit, int[] labels, int k)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(labels);
        if (unit.Length != (long)labels.Length * dimensions || k < 1 || k > labels.Length || labels.Any(l => (uint)l >= (uint)classes.Count))
        {
            throw new QuiverException($"The stored kNN classifier is inconsistent ({unit.Length} values, {labels.Length} labels, {dimensions} dimensions, k = {k}, {classes.Count} classes). Train it again.");
        }

        return new KnnClassifier(classes, dimensions, unit, labels, k);
    }

    public void Predict(ReadOnlySpan<float> vector, Span<double> probabilities)
    {
        if (vector.Length != Dimensions)
        {
            throw new QuiverException($"The vector has {vector.Length} dimensions; this classifier takes {Dimensions}.");
        }

        var norm = TensorPrimitives.Norm(vector);
        var best = new (float Score, int Label)[K];
        var found = 0;
        var worst = 0;
        for (var i = 0; i < _labels.Length; i++)
        {
            var score = TensorPrimitives.Dot(_unit.AsSpan(i * Dimensions, Dimensions), vector);
            if (found < K)
            {
                best[found++] = (score, _labels[i]);
                if (found == K)
                {
                    worst = Worst(best);
                }
            }
            else if (score > best[worst].Score)
            {
                best[worst] = (score, _labels[i]);
                worst = Worst(best);
            }
        }

        var classes = Classes.Count;
        probabilities[..classes].Clear();
        var similarity = new double[classes];
        foreach (var (score, label) in best)
        {
            probabilities[label] += 1.0 / K;
            similarity[label] += norm > 0 ? score / norm : 0;
        }

        // Equal vote shares: the class with more similar voters gets a sliver more (far below one vote), so the
        // most probable class is the tie's winner while the shares still sum to 1.
        var tied = probabilities[..classes].ToArray();
        var winner = 0;
        for (var c = 1; c < classes; c++)
        {
            if (tied[c] > tied[winner] || (tied[c] == tied[winner] && similarity[c] > similarity[winner]))
            {
                winner = c;
            }
        }

        var epsilon = 1e-9;
        for (var c = 0; c < classes; c++)
        {
            if (c != winner && tied[c] == tied[winner])
            {
                probabilities[c] -= epsilon;
                probabilities[winner] += epsilon;
            }
        }
    }

    private static int Worst((float Score, int Label)[] best)
    {
        var worst = 0;
        for (var b = 1; b < best.Length; b++)
        {
            if (best[b].Score < best[worst].Score)
            {
                worst = b;
            }
        }

        return worst;
    }
}
