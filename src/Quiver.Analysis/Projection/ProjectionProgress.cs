namespace Quiver.Analysis.Projection;

/// <summary>How far a projection has come: the stage it is in and its steps done out of the stage's total.</summary>
public readonly record struct ProjectionProgress(string Stage, int Done, int Total);
