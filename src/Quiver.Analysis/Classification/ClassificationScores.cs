using Quiver.Core;

namespace Quiver.Analysis.Classification;

/// <summary>
/// Accuracy and macro-F1 of predicted classes against the true ones. Macro-F1 is the unweighted mean of each class's
/// F1 over the classes that occur in the truth or the predictions, a class with no true positive scoring 0: the
/// definition of scikit-learn's <c>f1_score(average="macro")</c>.
/// </summary>
public sealed record ClassificationScores(double Accuracy, double MacroF1, int Count)
{
    public static ClassificationScores Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count || truth.Count == 0)
        {
            throw new QuiverException($"Scoring needs one prediction per true label and at least one of each; got {truth.Count} labels and {predicted.Count} predictions.");
        }

        var truePositive = new int[classes];
        var actual = new int[classes];
        var guessed = new int[classes];
        var correct = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            actual[truth[i]]++;
            guessed[predicted[i]]++;
            if (truth[i] == predicted[i])
            {
                truePositive[truth[i]]++;
                correct++;
            }
        }

        var f1 = 0.0;
        var present = 0;
        for (var c = 0; c < classes; c++)
        {
            if (actual[c] + guessed[c] == 0)
            {
                continue;
            }

            present++;
            f1 += 2.0 * truePositive[c] / (actual[c] + guessed[c]);
        }

        return new ClassificationScores((double)correct / truth.Count, f1 / present, truth.Count);
    }
}
