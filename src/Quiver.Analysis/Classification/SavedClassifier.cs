using Quiver.Core;
using Quiver.Core.Spaces;

namespace Quiver.Analysis.Classification;

/// <summary>A classifier read from its folder, bound to the embedding space it was trained in.</summary>
public sealed class SavedClassifier(ClassifierManifest manifest, IVectorClassifier classifier)
{
    public ClassifierManifest Manifest { get; } = manifest;

    public IVectorClassifier Classifier { get; } = classifier;

    /// <summary>
    /// Refuses vectors of <paramref name="space"/> unless they are of the space the classifier was trained in (same
    /// model, revision and dimensions): a classifier's weights mean nothing for another model's vectors.
    /// </summary>
    public void RequireSpace(EmbeddingSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var trained = Manifest.Space;
        if (!trained.Accepts(space) || !space.Accepts(trained))
        {
            throw new QuiverException(
                $"The classifier '{Manifest.Name}' was trained on vectors of {trained} (model '{Manifest.Model}'), but these vectors are of {space}. " +
                $"Embed the texts with '{Manifest.Model}' (leave out -m), or train a classifier for this model with quiver classify train FILE.csv -m MODEL -o NAME.");
        }
    }

    /// <summary>The probabilities of each row of <paramref name="vectors"/>, refused unless they are of the classifier's space.</summary>
    public double[][] Predict(float[] vectors, EmbeddingSpace space, CancellationToken cancellationToken = default)
    {
        RequireSpace(space);
        return Classifier.PredictAll(vectors, cancellationToken: cancellationToken);
    }
}
