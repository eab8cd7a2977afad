namespace Quiver.Analysis.Classification;

/// <summary>The out-of-fold prediction of every row, their scores, and the time spent training over all folds.</summary>
public sealed record CrossValidationResult(int[] Predicted, ClassificationScores Scores, TimeSpan Training);
