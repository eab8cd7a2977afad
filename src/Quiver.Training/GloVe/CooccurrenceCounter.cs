using Quiver.Training.Corpus;

namespace Quiver.Training.GloVe;

/// <summary>
/// Counts co-occurrences as glove's cooccur does: within a sentence, a word and each of the <c>window</c> in-vocabulary
/// words before it (words outside the vocabulary are dropped first, so they neither count nor take up the window)
/// add 1/distance (or 1) to (earlier, later), and with a symmetric window also to (later, earlier). Each thread reads
/// its own part of the corpus into its own table and spills sorted runs when the table fills; the runs are merged
/// afterwards.
/// </summary>
internal static class CooccurrenceCounter
{
    /// <summary>Counts the corpus into sorted run files in <paramref name="folder"/>; returns their paths.</summary>
    /// <param name="memoryBytes">Memory for all threads' tables together.</param>
    public static IReadOnlyList<string> Count(
        ISentenceCorpus corpus,
        GloVeVocabulary vocabulary,
        int window,
        bool symmetric,
        bool distanceWeighting,
        int threads,
        long memoryBytes,
        string folder,
        Action<long>? tokensRead,
        CancellationToken cancellationToken)
    {
        var runs = new List<string>[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, part =>
        {
            var partRuns = new List<string>();
            var table = new CooccurrenceTable(memoryBytes / threads);
            var ids = new List<int>(TextFileCorpus.MaxSentenceLength);
            long tokens = 0;
            foreach (var sentence in corpus.Read(part, threads, cancellationToken))
            {
                ids.Clear();
                foreach (var word in sentence)
                {
                    var id = vocabulary.IndexOf(word);
                    if (id >= 0)
                    {
                        ids.Add(id);
                    }
                }

                for (var j = 1; j < ids.Count; j++)
                {
                    var later = ids[j];
                    for (var k = Math.Max(0, j - window); k < j; k++)
                    {
                        // Spill before the table is too full to take the next pair, never in the middle of one.
                        if (table.IsFull)
                        {
                            partRuns.Add(Spill(table, folder, part, partRuns.Count));
                        }

                        var earlier = ids[k];
                        var weight = distanceWeighting ? 1.0 / (j - k) : 1.0;
                        table.Add(earlier, later, weight);
                        if (symmetric)
                        {
                            if (table.IsFull)
                            {
                                partRuns.Add(Spill(table, folder, part, partRuns.Count));
                            }

                            table.Add(later, earlier, weight);
                        }
                    }
                }

                tokens += sentence.Count;
                if (tokens >= 1 << 18)
                {
                    tokensRead?.Invoke(tokens);
                    tokens = 0;
                }
            }

            tokensRead?.Invoke(tokens);
            if (table.Count > 0)
            {
                partRuns.Add(Spill(table, folder, part, partRuns.Count));
            }

            runs[part] = partRuns;
        });

        return runs.SelectMany(r => r).ToList();
    }

    private static string Spill(CooccurrenceTable table, string folder, int part, int run)
    {
        var path = Path.Combine(folder, $"run-{part:D3}-{run:D5}.bin");
        using var stream = RecordFile.Create(path);
        table.SpillSorted(stream);
        return path;
    }
}
