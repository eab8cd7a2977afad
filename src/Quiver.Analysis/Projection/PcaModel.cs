namespace Quiver.Analysis.Projection;

/// <summary>
/// A fitted PCA: the mean, the principal axes (unit length, largest variance first) and the variance each explains.
/// </summary>
public sealed class PcaModel
{
    internal PcaModel(float[] mean, float[][] components, double[] explainedVariance, double totalVariance)
    {
        Mean = mean;
        Components = components;
        ExplainedVariance = explainedVariance;
        TotalVariance = totalVariance;
        ExplainedVarianceRatio = explainedVariance.Select(v => totalVariance > 0 ? v / totalVariance : 0).ToArray();
    }

    public IReadOnlyList<float> Mean { get; }

    /// <summary>The principal axes, one per component, each as long as the input vectors.</summary>
    public IReadOnlyList<float[]> Components { get; }

    /// <summary>The variance (with n - 1 in the denominator) along each axis: the covariance's eigenvalues.</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    /// <summary>Each axis's share of the total variance, as scikit-learn's explained_variance_ratio_.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    public double TotalVariance { get; }

    /// <summary>The coordinates of each vector along the axes, after subtracting the mean.</summary>
    public float[][] Transform(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var result = new float[vectors.Count][];
        var centred = new float[Mean.Count];
        for (var i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            if (v.Length != Mean.Count)
            {
                throw new ArgumentException($"Vector {i} has {v.Length} dimensions but the model was fitted on {Mean.Count}.", nameof(vectors));
            }

            for (var d = 0; d < centred.Length; d++)
            {
                centred[d] = v[d] - Mean[d];
            }

            var row = new float[Components.Count];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = System.Numerics.Tensors.TensorPrimitives.Dot<float>(centred, Components[c]);
            }

            result[i] = row;
        }

        return result;
    }
}
