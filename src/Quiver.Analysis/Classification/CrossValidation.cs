using System.Diagnostics;

namespace Quiver.Analysis.Classification;

/// <summary>
/// Stratified k-fold cross-validation of a way of training: each fold is predicted by a classifier trained on the
/// other folds, and the out-of-fold predictions of all rows are scored together.
/// </summary>
public static class CrossValidation
{
    /// <param name="fit">Trains a classifier on the rows it is given.</param>
    /// <param name="folds">Each row's fold (see <see cref="StratifiedFolds.Assign"/>).</param>
    public static CrossValidationResult Run(LabelledVectors data, int[] folds, Func<LabelledVectors, IVectorClassifier> fit, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(fit);
        var predicted = new int[data.Count];
        var count = folds.Max() + 1;
        var training = TimeSpan.Zero;
        for (var fold = 0; fold < count; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var trainRows = Enumerable.Range(0, data.Count).Where(i => folds[i] != fold).ToList();
            var testRows = Enumerable.Range(0, data.Count).Where(i => folds[i] == fold).ToList();
            var clock = Stopwatch.StartNew();
            var classifier = fit(data.Subset(trainRows));
            training += clock.Elapsed;
            var test = data.Subset(testRows);
            var decided = VectorClassifiers.Decide(classifier.PredictAll(test.Vectors, cancellationToken: cancellationToken));
            for (var j = 0; j < testRows.Count; j++)
            {
                predicted[testRows[j]] = decided[j];
            }

            progress?.Report(fold + 1);
        }

        return new CrossValidationResult(predicted, ClassificationScores.Compute(data.Labels, predicted, data.Classes.Count), training);
    }
}
