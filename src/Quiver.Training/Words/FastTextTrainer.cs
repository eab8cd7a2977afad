using System.Diagnostics;
using Quiver.Models.Static;
using Quiver.Training.Corpus;

namespace Quiver.Training.Words;

/// <summary>
/// fastText-style subword embeddings: Word2Vec where a word's input is the mean of its own row and the rows of its
/// hashed character n-grams (each row receives the whole gradient, as in fastText), so that words outside the
/// vocabulary are composed from their n-grams. Subsampling follows word2vec's formula, not fastText's.
/// </summary>
public static class FastTextTrainer
{
    public static FastTextResult Train(ISentenceCorpus corpus, FastTextOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var vocabulary = Vocabulary.Build(corpus, options.Word2Vec.MinCount, options.Word2Vec.MaxVocabulary, cancellationToken: cancellationToken);
        return Train(corpus, vocabulary, options, clock.Elapsed, progress, cancellationToken);
    }

    public static FastTextResult Train(ISentenceCorpus corpus, Vocabulary vocabulary, FastTextOptions options, TimeSpan vocabularyTime, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var w2v = options.Word2Vec;
        Word2VecTrainer.CheckVocabulary(vocabulary, w2v);
        var (offsets, rows) = InputRows(vocabulary, options);
        var trainer = new EmbeddingTrainer(w2v, vocabulary.Counts, extraRows: options.Buckets, offsets, rows);
        var trainingTime = trainer.Train(
            (part, parts, ct) => corpus.ReadIds(part, parts, vocabulary, ct).Select(ids => new TrainingSentence(ids, -1)),
            progress,
            cancellationToken);

        var dims = w2v.Dimensions;
        var input = trainer.Input;
        var words = new float[vocabulary.Count * dims];
        for (var w = 0; w < vocabulary.Count; w++)
        {
            var target = words.AsSpan(w * dims, dims);
            var own = rows.AsSpan(offsets[w], offsets[w + 1] - offsets[w]);
            foreach (var row in own)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(target, input.AsSpan(row * dims, dims), target);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(target, own.Length, target);
        }

        var subwords = new SubwordTable(options.MinN, options.MaxN, options.Buckets, dims, input.AsSpan(vocabulary.Count * dims).ToArray());
        var summary = new TrainingSummary(vocabulary.Count, vocabulary.TotalCount, w2v.Epochs, trainer.WordsDone, vocabularyTime, trainingTime);
        return new FastTextResult(new WordVectors(vocabulary.Words, words, dims), subwords, vocabulary, summary);
    }

    /// <summary>Per word: its own row, then the rows (after the vocabulary) of its n-gram buckets; the sentence end has no n-grams, as in fastText.</summary>
    internal static (int[] Offsets, int[] Rows) InputRows(Vocabulary vocabulary, FastTextOptions options)
    {
        var offsets = new int[vocabulary.Count + 1];
        var rows = new List<int>(vocabulary.Count * 12);
        var buckets = new List<int>(32);
        for (var w = 0; w < vocabulary.Count; w++)
        {
            offsets[w] = rows.Count;
            rows.Add(w);
            if (w != 0 || vocabulary.Words[0] != Vocabulary.SentenceEnd)
            {
                buckets.Clear();
                SubwordTable.NGramBuckets(vocabulary.Words[w], options.MinN, options.MaxN, options.Buckets, buckets);
                foreach (var b in buckets)
                {
                    rows.Add(vocabulary.Count + b);
                }
            }
        }

        offsets[vocabulary.Count] = rows.Count;
        return (offsets, [.. rows]);
    }
}
