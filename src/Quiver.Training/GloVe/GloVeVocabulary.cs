using Quiver.Training.Corpus;

namespace Quiver.Training.GloVe;

/// <summary>
/// The words GloVe trains, most frequent first (ties in ordinal order, so a vocabulary is the same on every run), as
/// vocab_count builds it. Kept small and separate on purpose: it is the one place a shared training vocabulary
/// would plug in.
/// </summary>
internal sealed class GloVeVocabulary
{
    private readonly Dictionary<string, int> _index;

    public GloVeVocabulary(IReadOnlyList<string> words, IReadOnlyList<long> counts)
    {
        Words = words;
        Counts = counts;
        _index = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            _index.Add(words[i], i);
        }
    }

    public IReadOnlyList<string> Words { get; }

    public IReadOnlyList<long> Counts { get; }

    public int Count => Words.Count;

    /// <summary>The word's id (its frequency rank), or -1 for a word outside the vocabulary.</summary>
    public int IndexOf(string word) => _index.TryGetValue(word, out var i) ? i : -1;

    /// <summary>Counts every token of the corpus, one part per thread, and keeps the words seen at least minCount times.</summary>
    public static GloVeVocabulary Build(ISentenceCorpus corpus, int minCount, int maxVocabulary, int threads, Action<long>? tokensRead, CancellationToken cancellationToken)
    {
        var partCounts = new Dictionary<string, long>[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, part =>
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            long tokens = 0;
            foreach (var sentence in corpus.Read(part, threads, cancellationToken))
            {
                foreach (var word in sentence)
                {
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, word, out _)++;
                }

                tokens += sentence.Count;
                if (tokens >= 1 << 20)
                {
                    tokensRead?.Invoke(tokens);
                    tokens = 0;
                }
            }

            tokensRead?.Invoke(tokens);
            partCounts[part] = counts;
        });

        var total = partCounts[0];
        foreach (var counts in partCounts.Skip(1))
        {
            foreach (var (word, count) in counts)
            {
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(total, word, out _) += count;
            }
        }

        var kept = total.Where(p => p.Value >= minCount)
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(maxVocabulary == 0 ? int.MaxValue : maxVocabulary)
            .ToList();
        return new GloVeVocabulary(kept.Select(p => p.Key).ToList(), kept.Select(p => p.Value).ToList());
    }
}
