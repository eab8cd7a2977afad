namespace Quiver.Analysis.Classification;

/// <summary>One class and its probability for an input.</summary>
public sealed record ClassPrediction(string Label, double Probability);
