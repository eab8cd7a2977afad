using System.Diagnostics;
using Quiver.Core;
using Quiver.Models.Static;
using Quiver.Training.Words;

namespace Quiver.Training.Documents;

/// <summary>Trains Doc2Vec (PV-DBOW or PV-DM) on documents held in memory, each a list of tokens.</summary>
public static class Doc2VecTrainer
{
    public static Doc2VecModel Train(IReadOnlyList<IReadOnlyList<string>> documents, Doc2VecOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (documents.Count == 0)
        {
            throw new QuiverException("There are no documents to train on.");
        }

        var clock = Stopwatch.StartNew();
        var w2v = options.Word2Vec;
        var corpus = new DocumentCorpus(documents);
        var vocabulary = Vocabulary.Build(corpus, w2v.MinCount, w2v.MaxVocabulary, cancellationToken: cancellationToken);
        Word2VecTrainer.CheckVocabulary(vocabulary, w2v);
        var ids = documents.Select(d => d.Select(vocabulary.IdOf).Where(id => id >= 0).ToArray()).ToList();
        var trainer = new EmbeddingTrainer(w2v with { Cbow = options.Mode == Doc2VecMode.DistributedMemory }, vocabulary.Counts, documents: documents.Count)
        {
            Documents = options.Mode == Doc2VecMode.DistributedMemory ? DocumentMode.DistributedMemory : DocumentMode.DistributedBagOfWords,
            TrainWordsWithDocuments = options.TrainWords,
        };
        var vocabularyTime = clock.Elapsed;
        var trainingTime = trainer.Train((part, parts, _) => Slice(ids, part, parts), progress, cancellationToken);
        var summary = new TrainingSummary(vocabulary.Count, vocabulary.TotalCount, w2v.Epochs, trainer.WordsDone, vocabularyTime, trainingTime);
        return new Doc2VecModel(
            options,
            vocabulary,
            trainer.Input,
            trainer.DocumentVectors,
            trainer.OutputNegative,
            trainer.OutputSoftmax,
            summary);
    }

    private static IEnumerable<TrainingSentence> Slice(List<int[]> documents, int part, int parts)
    {
        for (var d = documents.Count * part / parts; d < documents.Count * (part + 1) / parts; d++)
        {
            yield return new TrainingSentence(documents[d], d);
        }
    }

    private sealed class DocumentCorpus(IReadOnlyList<IReadOnlyList<string>> documents) : Corpus.ISentenceCorpus
    {
        public IEnumerable<IReadOnlyList<string>> Read(int part, int parts, CancellationToken cancellationToken = default)
        {
            for (var d = documents.Count * part / parts; d < documents.Count * (part + 1) / parts; d++)
            {
                yield return documents[d];
            }
        }
    }
}
