using System.Diagnostics;
using System.Runtime.CompilerServices;
using Quiver.Core;
using Quiver.Models.Static;
using Quiver.Training.Corpus;

namespace Quiver.Training.GloVe;

/// <summary>
/// Trains GloVe word vectors (Pennington, Socher and Manning, 2014) the way Stanford's glove tool does: count the
/// vocabulary; count distance-weighted co-occurrences within a window, in bounded memory (sorted runs spilled to
/// disk and merged); shuffle the records; fit the weighted least-squares model with AdaGrad on several threads;
/// return word plus context vectors.
/// </summary>
public static class GloVeTrainer
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Trains on <paramref name="corpus"/>. Scratch files go in a new folder under <paramref name="temporaryFolder"/>
    /// that is deleted before this returns or throws. Progress is reported on the calling thread.
    /// </summary>
    public static GloVeResult Train(
        ISentenceCorpus corpus,
        GloVeOptions options,
        string temporaryFolder,
        IProgress<GloVeProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var memoryBytes = (long)(options.MemoryMiB * 1024 * 1024);
        var scratch = Path.Combine(temporaryFolder, "quiver-glove-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var tokens = new StrongBox<long>();
            var vocabulary = Run(
                () => GloVeVocabulary.Build(corpus, options.MinCount, options.MaxVocabulary, options.Threads, n => Interlocked.Add(ref tokens.Value, n), cancellationToken),
                () => new GloVeProgress(GloVeStage.Vocabulary, Interlocked.Read(ref tokens.Value), 0, 0, options.Iterations, double.NaN, 0, null),
                progress);
            if (vocabulary.Count == 0)
            {
                throw new QuiverException(
                    $"No word of the corpus occurs at least {options.MinCount} times ({tokens.Value:N0} tokens read). Lower the minimum count or give a larger corpus.");
            }

            var counted = new StrongBox<long>();
            var runs = Run(
                () => CooccurrenceCounter.Count(
                    corpus, vocabulary, options.Window, options.Symmetric, options.DistanceWeighting, options.Threads, memoryBytes, scratch,
                    n => Interlocked.Add(ref counted.Value, n), cancellationToken),
                () => new GloVeProgress(GloVeStage.Counting, Interlocked.Read(ref counted.Value), tokens.Value, 0, options.Iterations, double.NaN, 0, null),
                progress);

            var merged = Path.Combine(scratch, "cooccurrences.bin");
            var mergedCount = new StrongBox<long>();
            var records = Run(
                () =>
                {
                    var count = RunMerger.Merge(runs, merged, memoryBytes, n => Volatile.Write(ref mergedCount.Value, n), cancellationToken);
                    foreach (var run in runs)
                    {
                        File.Delete(run);
                    }

                    return count;
                },
                () => new GloVeProgress(GloVeStage.Merging, Volatile.Read(ref mergedCount.Value), 0, 0, options.Iterations, double.NaN, 0, null),
                progress);
            if (records == 0)
            {
                throw new QuiverException(
                    $"The corpus has no two vocabulary words within {options.Window} words of each other in a sentence, so there is nothing to train on. Give a larger corpus.");
            }

            var shuffledCount = new StrongBox<long>();
            var shuffled = Run(
                () =>
                {
                    var result = ShuffledRecords.Create(merged, memoryBytes, options.Seed, scratch, n => Volatile.Write(ref shuffledCount.Value, n), cancellationToken);
                    File.Delete(merged);
                    return result;
                },
                () => new GloVeProgress(GloVeStage.Shuffling, Volatile.Read(ref shuffledCount.Value), records, 0, options.Iterations, double.NaN, 0, null),
                progress);

            var trainer = new AdaGradTrainer(vocabulary.Count, options);
            var costs = new List<double>(options.Iterations);
            var total = Stopwatch.StartNew();
            for (var iteration = 1; iteration <= options.Iterations; iteration++)
            {
                var done = new StrongBox<long>();
                var clock = Stopwatch.StartNew();
                var lastCost = costs.Count > 0 ? costs[^1] : double.NaN;
                var passes = iteration - 1;
                var cost = Run(
                    () => trainer.Iterate(shuffled, options.Threads, done, cancellationToken),
                    () =>
                    {
                        var n = Interlocked.Read(ref done.Value);
                        var rate = n / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                        var left = ((long)(options.Iterations - passes) * records) - n;
                        TimeSpan? remaining = n > 0 ? TimeSpan.FromSeconds(left / rate) : null;
                        return new GloVeProgress(GloVeStage.Training, n, records, iteration, options.Iterations, lastCost, rate, remaining);
                    },
                    progress);
                costs.Add(cost);
                progress?.Report(new GloVeProgress(
                    GloVeStage.Training, records, records, iteration, options.Iterations, cost, records / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
                    TimeSpan.FromSeconds(total.Elapsed.TotalSeconds / iteration * (options.Iterations - iteration))));
            }

            var vectors = new WordVectors(vocabulary.Words, trainer.WordPlusContext(), options.Dimensions);
            return new GloVeResult(vectors, costs, tokens.Value, records, runs.Count, shuffled.OnDisk);
        }
        finally
        {
            DeleteScratch(scratch);
        }
    }

    /// <summary>Runs a step on the thread pool while the calling thread reports its progress a few times a second.</summary>
    private static T Run<T>(Func<T> step, Func<GloVeProgress> snapshot, IProgress<GloVeProgress>? progress)
    {
        var task = Task.Run(step);
        if (progress is not null)
        {
            // Waiting on the handle, not the task, so that a failure surfaces below as itself rather than wrapped.
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(ReportEvery))
            {
                progress.Report(snapshot());
            }

            progress.Report(snapshot());
        }

        return task.GetAwaiter().GetResult();
    }

    private static void DeleteScratch(string scratch)
    {
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: nothing to clean.
        }
    }
}
