namespace Quiver.Analysis.Evaluation;

/// <summary>A query of a retrieval test collection, with its id as the judgements name it.</summary>
public sealed record RetrievalQuery(string Id, string Text);
