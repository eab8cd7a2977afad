using Quiver.Models.Static;

namespace Quiver.Training.Words;

/// <summary>A trained fastText model: vocabulary words' vectors (each the mean of its own and its n-gram rows) and the n-gram table for other words.</summary>
public sealed record FastTextResult(WordVectors Vectors, SubwordTable Subwords, Vocabulary Vocabulary, TrainingSummary Summary);
