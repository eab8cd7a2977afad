using Quiver.Core;

namespace Quiver.Analysis.Classification;

/// <summary>
/// Vectors with a class each, the input of training and evaluation: <see cref="Count"/> rows of
/// <see cref="Dimensions"/> values (row-major), each row's class as an index into <see cref="Classes"/>.
/// </summary>
public sealed class LabelledVectors
{
    /// <summary>Checks the shape and the labels, refusing input a classifier cannot learn from with a message naming the fix.</summary>
    public LabelledVectors(float[] vectors, int dimensions, int[] labels, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classes);
        if (dimensions < 1 || vectors.Length != (long)labels.Length * dimensions)
        {
            throw new QuiverException($"{vectors.Length:N0} values do not make {labels.Length:N0} rows of {dimensions} dimensions; give one label per row.");
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes.Count)
            {
                throw new QuiverException($"Row {i} has class {labels[i]}, but there are {classes.Count} classes (0 to {classes.Count - 1}).");
            }
        }

        for (var i = 0; i < vectors.Length; i++)
        {
            if (!float.IsFinite(vectors[i]))
            {
                throw new QuiverException($"Row {i / dimensions} holds {vectors[i]} at column {i % dimensions}; every value must be a finite number.");
            }
        }

        Vectors = vectors;
        Dimensions = dimensions;
        Labels = labels;
        Classes = classes;
    }

    public float[] Vectors { get; }

    public int Dimensions { get; }

    public int[] Labels { get; }

    public IReadOnlyList<string> Classes { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<float> Row(int i) => Vectors.AsSpan(i * Dimensions, Dimensions);

    /// <summary>How many rows each class has, in class order.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes.Count];
        foreach (var label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>
    /// Refuses data a classifier cannot be trained on: fewer than two classes among the rows (a single class leaves
    /// nothing to tell apart). <paramref name="source"/> names the input in the message.
    /// </summary>
    public void RequireTrainable(string source)
    {
        var present = ClassCounts().Count(c => c > 0);
        if (present < 2)
        {
            var only = Count == 0 ? "no rows" : $"only the class '{Classes[Labels[0]]}'";
            throw new QuiverException(
                $"{source} has {only}; a classifier needs at least two different labels to learn from. Check that the label column names the column that tells the classes apart.");
        }
    }

    /// <summary>The rows at <paramref name="indices"/>, with the same classes.</summary>
    public LabelledVectors Subset(IReadOnlyList<int> indices)
    {
        var vectors = new float[(long)indices.Count * Dimensions];
        var labels = new int[indices.Count];
        for (var j = 0; j < indices.Count; j++)
        {
            Row(indices[j]).CopyTo(vectors.AsSpan(j * Dimensions, Dimensions));
            labels[j] = Labels[indices[j]];
        }

        return new LabelledVectors(vectors, Dimensions, labels, Classes);
    }
}
