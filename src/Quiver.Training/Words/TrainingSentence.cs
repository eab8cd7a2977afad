namespace Quiver.Training.Words;

/// <summary>A sentence as vocabulary ids, and the document it belongs to (-1 when documents are not trained).</summary>
internal readonly record struct TrainingSentence(ArraySegment<int> Ids, int Document);
