using System.Numerics.Tensors;
using Quiver.Core;

namespace Quiver.Analysis.Classification;

/// <summary>A fitted logistic regression: per class a weight vector and an intercept; probabilities by softmax.</summary>
public sealed class LogisticRegressionModel : IVectorClassifier
{
    private readonly float[] _weights;
    private readonly float[] _intercepts;

    /// <param name="weights">classes × dimensions values, class by class.</param>
    public LogisticRegressionModel(IReadOnlyList<string> classes, int dimensions, float[] weights, float[] intercepts)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(intercepts);
        if (weights.Length != (long)classes.Count * dimensions || intercepts.Length != classes.Count)
        {
            throw new QuiverException($"A logistic regression of {classes.Count} classes and {dimensions} dimensions needs {classes.Count * dimensions} weights and {classes.Count} intercepts, not {weights.Length} and {intercepts.Length}.");
        }

        Classes = classes;
        Dimensions = dimensions;
        _weights = weights;
        _intercepts = intercepts;
    }

    public IReadOnlyList<string> Classes { get; }

    public int Dimensions { get; }

    /// <summary>classes × dimensions, class by class.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    public ReadOnlySpan<float> Intercepts => _intercepts;

    /// <summary>L-BFGS iterations the fit took (0 for a model read from disk).</summary>
    public int Iterations { get; init; }

    /// <summary>Whether the fit met its gradient tolerance.</summary>
    public bool Converged { get; init; }

    /// <summary>The objective at the fitted weights.</summary>
    public double Objective { get; init; }

    public void Predict(ReadOnlySpan<float> vector, Span<double> probabilities)
    {
        if (vector.Length != Dimensions)
        {
            throw new QuiverException($"The vector has {vector.Length} dimensions; this classifier takes {Dimensions}.");
        }

        for (var k = 0; k < Classes.Count; k++)
        {
            probabilities[k] = TensorPrimitives.Dot(_weights.AsSpan(k * Dimensions, Dimensions), vector) + (double)_intercepts[k];
        }

        Softmax.InPlace(probabilities[..Classes.Count]);
    }
}
