using System.Numerics.Tensors;
using Quiver.Core;

namespace Quiver.Analysis.Clustering;

/// <summary>
/// Points as one row-major float array (rows × columns) with each row's squared norm cached, so a squared Euclidean
/// distance is ‖x‖² + ‖c‖² − 2x·c: one SIMD dot product instead of a pass that subtracts.
/// </summary>
internal sealed class PointMatrix
{
    public PointMatrix(float[] values, int columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (values.Length % columns != 0)
        {
            throw new ArgumentException($"{values.Length} values do not make whole rows of {columns}.", nameof(values));
        }

        Values = values;
        Columns = columns;
        Rows = values.Length / columns;
        SquaredNorms = new float[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var row = Row(i);
            SquaredNorms[i] = TensorPrimitives.Dot(row, row);
        }
    }

    public float[] Values { get; }

    public int Rows { get; }

    public int Columns { get; }

    public float[] SquaredNorms { get; }

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Columns, Columns);

    /// <summary>The squared Euclidean distance between rows <paramref name="i"/> and <paramref name="j"/> (never negative).</summary>
    public float SquaredDistance(int i, int j) =>
        Math.Max(0f, SquaredNorms[i] + SquaredNorms[j] - (2 * TensorPrimitives.Dot(Row(i), Row(j))));

    /// <summary>The squared distance from row <paramref name="i"/> to a point <paramref name="c"/> whose squared norm is <paramref name="cNorm"/>.</summary>
    public float SquaredDistance(int i, ReadOnlySpan<float> c, float cNorm) =>
        Math.Max(0f, SquaredNorms[i] + cNorm - (2 * TensorPrimitives.Dot(Row(i), c)));

    /// <summary>Checks that every value is finite, naming the first row that is not.</summary>
    public static void CheckFinite(float[] values, int columns)
    {
        var index = Array.FindIndex(values, v => !float.IsFinite(v));
        if (index >= 0)
        {
            throw new QuiverException($"Row {index / columns} holds {values[index]} at column {index % columns}; clustering needs finite values.");
        }
    }
}
