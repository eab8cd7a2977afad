using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using Quiver.Core;

namespace Quiver.Analysis.Projection;

/// <summary>
/// Exact principal component analysis: the eigenvectors of the covariance matrix, computed in double precision.
/// </summary>
public static class Pca
{
    /// <summary>Fits <paramref name="components"/> principal axes to the vectors.</summary>
    /// <remarks>
    /// Each axis's sign is chosen as scikit-learn's svd_flip chooses it (the point with the largest absolute
    /// coordinate along the axis gets a positive one), so coordinates match scikit-learn's, not just their spread.
    /// </remarks>
    public static PcaModel Fit(IReadOnlyList<float[]> vectors, int components, CancellationToken cancellationToken = default)
    {
        var dimensions = ProjectionInput.Check(vectors, 2, "PCA");
        if (components < 1 || components > dimensions)
        {
            throw new QuiverException($"PCA's components is {components}; it must be from 1 to {dimensions} (the vectors' dimensions).");
        }

        var n = vectors.Count;
        var mean = new double[dimensions];
        foreach (var v in vectors)
        {
            for (var d = 0; d < dimensions; d++)
            {
                mean[d] += v[d];
            }
        }

        for (var d = 0; d < dimensions; d++)
        {
            mean[d] /= n;
        }

        // Centred data by column, so each covariance entry is one contiguous dot product.
        var columns = new double[dimensions][];
        for (var d = 0; d < dimensions; d++)
        {
            var column = new double[n];
            for (var i = 0; i < n; i++)
            {
                column[i] = vectors[i][d] - mean[d];
            }

            columns[d] = column;
        }

        var covariance = new double[dimensions, dimensions];
        Parallel.For(0, dimensions, new ParallelOptions { CancellationToken = cancellationToken }, a =>
        {
            for (var b = a; b < dimensions; b++)
            {
                var c = TensorPrimitives.Dot<double>(columns[a], columns[b]) / (n - 1);
                covariance[a, b] = c;
                covariance[b, a] = c;
            }
        });

        var total = 0.0;
        for (var d = 0; d < dimensions; d++)
        {
            total += covariance[d, d];
        }

        var evd = Matrix<double>.Build.DenseOfArray(covariance).Evd(Symmetricity.Symmetric);

        // The eigenvalues come in ascending order; take them from the top.
        var axes = new float[components][];
        var variance = new double[components];
        var scores = new double[n];
        for (var c = 0; c < components; c++)
        {
            var at = dimensions - 1 - c;
            variance[c] = Math.Max(0, evd.EigenValues[at].Real);
            var axis = evd.EigenVectors.Column(at).ToArray();
            Array.Clear(scores);
            for (var d = 0; d < dimensions; d++)
            {
                TensorPrimitives.MultiplyAdd(columns[d], axis[d], scores, scores);
            }

            var largest = TensorPrimitives.IndexOfMaxMagnitude<double>(scores);
            var sign = scores[largest] < 0 ? -1.0 : 1.0;
            axes[c] = axis.Select(x => (float)(x * sign)).ToArray();
        }

        return new PcaModel(mean.Select(m => (float)m).ToArray(), axes, variance, total);
    }
}
