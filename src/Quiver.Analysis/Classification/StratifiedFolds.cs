using Quiver.Core;

namespace Quiver.Analysis.Classification;

/// <summary>
/// Stratified k-fold splits: each class's rows are shuffled (seeded) and dealt to the folds in turn, so every fold
/// holds each class in nearly the training data's proportion (its count per fold differs by at most one).
/// </summary>
public static class StratifiedFolds
{
    /// <summary>The fold (0 to <paramref name="folds"/> − 1) of each row.</summary>
    public static int[] Assign(IReadOnlyList<int> labels, int classes, int folds, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (folds < 2)
        {
            throw new QuiverException($"Cross-validation needs at least 2 folds; got {folds}.");
        }

        var byClass = new List<int>[classes];
        for (var c = 0; c < classes; c++)
        {
            byClass[c] = [];
        }

        for (var i = 0; i < labels.Count; i++)
        {
            byClass[labels[i]].Add(i);
        }

        var largest = byClass.Max(rows => rows.Count);
        if (largest < folds)
        {
            throw new QuiverException($"{folds} folds, but no class has more than {largest} rows; every fold needs training rows of some class. Use fewer folds (--folds).");
        }

        var random = new SplitMix(unchecked((ulong)seed));
        var fold = new int[labels.Count];
        var next = 0;
        foreach (var rows in byClass)
        {
            for (var i = rows.Count - 1; i > 0; i--)
            {
                var j = random.NextInt(i + 1);
                (rows[i], rows[j]) = (rows[j], rows[i]);
            }

            // Each class starts where the last one stopped, so the folds' sizes stay within one of each other too.
            foreach (var row in rows)
            {
                fold[row] = next;
                next = (next + 1) % folds;
            }
        }

        return fold;
    }
}
