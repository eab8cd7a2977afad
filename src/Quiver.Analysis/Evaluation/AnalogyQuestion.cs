namespace Quiver.Analysis.Evaluation;

/// <summary>One analogy question a:b :: c:d of a section of an analogy test set.</summary>
public sealed record AnalogyQuestion(string Section, string A, string B, string C, string D);
