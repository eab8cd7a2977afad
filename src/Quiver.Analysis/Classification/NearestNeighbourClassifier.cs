using System.Numerics.Tensors;
using Quiver.Core;

namespace Quiver.Analysis.Classification;

/// <summary>
/// k-nearest-neighbour classification by cosine similarity, and its leave-one-out accuracy: the standard check that
/// an embedding keeps items of one class together.
/// </summary>
public static class NearestNeighbourClassifier
{
    /// <summary>
    /// Classifies every item by its <paramref name="k"/> most similar other items (majority vote; a tie goes to the
    /// label whose voters are more similar in total) and returns the share classified correctly.
    /// </summary>
    public static double LeaveOneOutAccuracy(IReadOnlyList<float[]> vectors, IReadOnlyList<int> labels, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(labels);
        if (vectors.Count != labels.Count)
        {
            throw new ArgumentException($"{vectors.Count} vectors but {labels.Count} labels; give one label per vector.", nameof(labels));
        }

        if (k < 1 || k >= vectors.Count)
        {
            throw new QuiverException($"The number of neighbours k is {k}; it must be from 1 to {vectors.Count - 1} (the other items).");
        }

        var dimensions = vectors[0].Length;
        var unit = new float[vectors.Count][];
        for (var i = 0; i < vectors.Count; i++)
        {
            if (vectors[i].Length != dimensions)
            {
                throw new ArgumentException($"Vector {i} has {vectors[i].Length} dimensions; the first has {dimensions}.", nameof(vectors));
            }

            unit[i] = new float[dimensions];
            var norm = TensorPrimitives.Norm(vectors[i]);
            if (norm > 0)
            {
                TensorPrimitives.Multiply(vectors[i], 1f / norm, unit[i]);
            }
        }

        var correct = 0;
        Parallel.For(0, unit.Length, () => 0, (i, _, hits) =>
        {
            var best = new (double Score, int Label)[k];
            var found = 0;
            for (var j = 0; j < unit.Length; j++)
            {
                if (j == i)
                {
                    continue;
                }

                double score = TensorPrimitives.Dot(unit[i], unit[j]);
                if (found < k)
                {
                    best[found++] = (score, labels[j]);
                }
                else
                {
                    var worst = 0;
                    for (var b = 1; b < k; b++)
                    {
                        if (best[b].Score < best[worst].Score)
                        {
                            worst = b;
                        }
                    }

                    if (score > best[worst].Score)
                    {
                        best[worst] = (score, labels[j]);
                    }
                }
            }

            var predicted = best.GroupBy(b => b.Label)
                .OrderByDescending(g => g.Count())
                .ThenByDescending(g => g.Sum(b => b.Score))
                .First().Key;
            return predicted == labels[i] ? hits + 1 : hits;
        }, hits => Interlocked.Add(ref correct, hits));
        return (double)correct / unit.Length;
    }
}
