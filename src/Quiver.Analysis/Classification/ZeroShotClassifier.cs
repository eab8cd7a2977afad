using System.Numerics.Tensors;
using Quiver.Core;

namespace Quiver.Analysis.Classification;

/// <summary>
/// Zero-shot classification: no training rows, only an embedded description of each label (a prompt such as "This
/// text is about sports."). A vector's probabilities are the softmax of its cosine to each label's vector divided by
/// a temperature (0.01 by default, CLIP's learned logit scale of 100): the ranking is the cosine's, the temperature
/// only sharpens or flattens the probabilities.
/// </summary>
public sealed class ZeroShotClassifier : IVectorClassifier
{
    /// <summary>The prompt each label is put into before it is embedded; {label} stands for the label.</summary>
    public const string DefaultTemplate = "This text is about {label}.";

    public const double DefaultTemperature = 0.01;

    private readonly float[] _unit;

    /// <param name="labelVectors">classes × dimensions: the embedded description of each class, class by class.</param>
    public ZeroShotClassifier(IReadOnlyList<string> classes, int dimensions, float[] labelVectors, double temperature = DefaultTemperature)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(labelVectors);
        if (classes.Count < 2)
        {
            throw new QuiverException($"Zero-shot classification needs at least two labels to choose between; got {classes.Count}.");
        }

        if (labelVectors.Length != (long)classes.Count * dimensions)
        {
            throw new QuiverException($"{classes.Count} labels of {dimensions} dimensions need {classes.Count * dimensions} values, not {labelVectors.Length}.");
        }

        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new QuiverException($"The temperature {temperature} must be a positive number (0.01 sharpens like CLIP; 1 leaves cosines nearly flat).");
        }

        _unit = new float[labelVectors.Length];
        for (var k = 0; k < classes.Count; k++)
        {
            var row = labelVectors.AsSpan(k * dimensions, dimensions);
            var norm = TensorPrimitives.Norm(row);
            if (norm == 0)
            {
                throw new QuiverException($"The description of '{classes[k]}' embedded to a zero vector; describe the label in other words.");
            }

            TensorPrimitives.Divide(row, norm, _unit.AsSpan(k * dimensions, dimensions));
        }

        Classes = classes;
        Dimensions = dimensions;
        Temperature = temperature;
    }

    public IReadOnlyList<string> Classes { get; }

    public int Dimensions { get; }

    public double Temperature { get; }

    /// <summary>The description of <paramref name="label"/> from <paramref name="template"/>; underscores become spaces (card_arrival → card arrival).</summary>
    public static string Describe(string label, string template = DefaultTemplate)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(template);
        return template.Replace("{label}", label.Replace('_', ' '), StringComparison.Ordinal);
    }

    public void Predict(ReadOnlySpan<float> vector, Span<double> probabilities)
    {
        if (vector.Length != Dimensions)
        {
            throw new QuiverException($"The vector has {vector.Length} dimensions; this classifier takes {Dimensions}.");
        }

        var norm = TensorPrimitives.Norm(vector);
        for (var k = 0; k < Classes.Count; k++)
        {
            var cosine = norm > 0 ? TensorPrimitives.Dot(_unit.AsSpan(k * Dimensions, Dimensions), vector) / norm : 0;
            probabilities[k] = cosine / Temperature;
        }

        Softmax.InPlace(probabilities[..Classes.Count]);
    }
}
