namespace Quiver.Store.Index;

/// <summary>One result of a <see cref="VectorIndex"/> search.</summary>
/// <param name="Id">The vector's id: its position in the order vectors were added (0, 1, 2, ...).</param>
/// <param name="Score">The metric's score: cosine or dot similarity (higher is closer), or Euclidean distance (lower is closer).</param>
public readonly record struct VectorHit(int Id, float Score);
