using Quiver.Analysis.Classification;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Classification;

public sealed class CrossValidationTests
{
    [Fact]
    public void Folds_are_stratified_and_cover_every_row_once()
    {
        // Unbalanced classes: 50, 23 and 7 rows.
        var labels = Enumerable.Repeat(0, 50).Concat(Enumerable.Repeat(1, 23)).Concat(Enumerable.Repeat(2, 7)).ToArray();
        var random = new Random(1);
        labels = [.. labels.OrderBy(_ => random.Next())];

        var folds = StratifiedFolds.Assign(labels, classes: 3, folds: 5, seed: 3);

        Assert.Equal(labels.Length, folds.Length);
        Assert.All(folds, f => Assert.InRange(f, 0, 4));
        for (var c = 0; c < 3; c++)
        {
            var perFold = Enumerable.Range(0, 5).Select(f => Enumerable.Range(0, labels.Length).Count(i => labels[i] == c && folds[i] == f)).ToList();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(", ", perFold)}");
        }

        var sizes = Enumerable.Range(0, 5).Select(f => folds.Count(x => x == f)).ToList();
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(", ", sizes));
        Assert.Equal(folds, StratifiedFolds.Assign(labels, 3, 5, seed: 3));
        Assert.NotEqual(folds, StratifiedFolds.Assign(labels, 3, 5, seed: 4));
    }

    [Fact]
    public void Macro_f1_and_accuracy_match_scikit_learns_documented_example()
    {
        // sklearn.metrics.f1_score's docstring: y_true [0, 1, 2, 0, 1, 2], y_pred [0, 2, 1, 0, 0, 1] → macro 0.2666…
        var scores = ClassificationScores.Compute([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], 3);

        Assert.Equal(0.26666666666666666, scores.MacroF1, 12);
        Assert.Equal(2.0 / 6, scores.Accuracy, 12);
    }

    [Fact]
    public void Cross_validation_predicts_each_row_from_a_model_that_never_saw_it()
    {
        var data = ClassificationData.Blobs(classes: 3, perClass: 20, dimensions: 4, spread: 0.3);
        var folds = StratifiedFolds.Assign(data.Labels, 3, 4);
        var trainedOn = new List<int>();

        var result = CrossValidation.Run(data, folds, train =>
        {
            trainedOn.Add(train.Count);
            return KnnClassifier.Fit(train, 1);
        });

        Assert.Equal(1.0, result.Scores.Accuracy);
        Assert.Equal(1.0, result.Scores.MacroF1);
        Assert.Equal([45, 45, 45, 45], trainedOn);
    }

    [Fact]
    public void More_folds_than_rows_of_any_class_are_refused()
    {
        var error = Assert.Throws<QuiverException>(() => StratifiedFolds.Assign([0, 1, 0, 1], 2, 5));

        Assert.Contains("5 folds", error.Message);
        Assert.Contains("--folds", error.Message);
    }
}
