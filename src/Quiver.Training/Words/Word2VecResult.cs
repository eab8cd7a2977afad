using Quiver.Models.Static;

namespace Quiver.Training.Words;

/// <summary>Trained word vectors (rows in vocabulary order, <see cref="Vocabulary.SentenceEnd"/> first as word2vec writes it), the vocabulary and what the run did.</summary>
public sealed record Word2VecResult(WordVectors Vectors, Vocabulary Vocabulary, TrainingSummary Summary);
