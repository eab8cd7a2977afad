using System.Diagnostics;
using Quiver.Core;
using Quiver.Models.Static;
using Quiver.Training.Corpus;

namespace Quiver.Training.Words;

/// <summary>
/// Word2Vec (Mikolov et al., 2013) as the original C tool trains it: skip-gram or CBOW, negative sampling and/or
/// hierarchical softmax, over a corpus streamed from disk every epoch (so it may be larger than memory).
/// </summary>
public static class Word2VecTrainer
{
    /// <summary>Builds the vocabulary (one pass), then trains <see cref="Word2VecOptions.Epochs"/> passes.</summary>
    public static Word2VecResult Train(ISentenceCorpus corpus, Word2VecOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var vocabulary = Vocabulary.Build(corpus, options.MinCount, options.MaxVocabulary, cancellationToken: cancellationToken);
        var vocabularyTime = clock.Elapsed;
        return Train(corpus, vocabulary, options, vocabularyTime, progress, cancellationToken);
    }

    /// <summary>Trains on a corpus with a vocabulary already built from it.</summary>
    public static Word2VecResult Train(ISentenceCorpus corpus, Vocabulary vocabulary, Word2VecOptions options, TimeSpan vocabularyTime, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckVocabulary(vocabulary, options);
        var trainer = new EmbeddingTrainer(options, vocabulary.Counts);
        var trainingTime = trainer.Train((part, parts, ct) => Sentences(corpus, vocabulary, part, parts, ct), progress, cancellationToken);
        var vectors = new WordVectors(vocabulary.Words, trainer.Input, options.Dimensions);
        var summary = new TrainingSummary(vocabulary.Count, vocabulary.TotalCount, options.Epochs, trainer.WordsDone, vocabularyTime, trainingTime);
        return new Word2VecResult(vectors, vocabulary, summary);
    }

    internal static void CheckVocabulary(Vocabulary vocabulary, Word2VecOptions options)
    {
        if (vocabulary.Count < 2)
        {
            throw new QuiverException(
                $"The corpus gives no word seen at least {options.MinCount} times (min-count), so there is nothing to train. Lower min-count or give a larger corpus.");
        }
    }

    private static IEnumerable<TrainingSentence> Sentences(ISentenceCorpus corpus, Vocabulary vocabulary, int part, int parts, CancellationToken cancellationToken)
    {
        foreach (var ids in corpus.ReadIds(part, parts, vocabulary, cancellationToken))
        {
            yield return new TrainingSentence(ids, -1);
        }
    }
}
