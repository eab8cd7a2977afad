namespace Quiver.Core.Selection;

/// <summary>A position in a list of vectors and its score against a query.</summary>
public readonly record struct ScoredIndex(int Index, float Score);
