using System.Text;
using Quiver.Training.Corpus;

namespace Quiver.Training.Words;

/// <summary>
/// The words a model is trained on, most frequent first, with their counts, built the way the original word2vec
/// builds it: the sentence end <c>&lt;/s&gt;</c> is word 0 (counted once per sentence), the rest are sorted by count,
/// words seen fewer than min-count times are dropped, and while counting, a vocabulary that grows past its limit is
/// pruned of its rarest words with a rising threshold (word2vec's ReduceVocab).
/// </summary>
public sealed class Vocabulary : ITokenLookup
{
    /// <summary>The sentence-end token word2vec puts first in every vocabulary and model file.</summary>
    public const string SentenceEnd = "</s>";

    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private readonly long[] _counts;

    public Vocabulary(IReadOnlyList<string> words, IReadOnlyList<long> counts)
    {
        if (words.Count != counts.Count)
        {
            throw new ArgumentException($"{words.Count} words but {counts.Count} counts were given; each word needs its count.", nameof(counts));
        }

        Words = words;
        _counts = [.. counts];
        _ids = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            if (!_ids.TryAdd(words[i], i))
            {
                throw new ArgumentException($"The word '{words[i]}' appears twice in the vocabulary (at {_ids[words[i]]} and {i}).", nameof(words));
            }
        }

        _byChars = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        TotalCount = _counts.Sum();
    }

    public IReadOnlyList<string> Words { get; }

    public ReadOnlySpan<long> Counts => _counts;

    public int Count => Words.Count;

    /// <summary>The number of tokens of the corpus the vocabulary covers (word2vec's train_words).</summary>
    public long TotalCount { get; }

    public long CountOf(int id) => _counts[id];

    public int IdOf(string word) => _ids.TryGetValue(word, out var id) ? id : -1;

    public int IdOf(ReadOnlySpan<char> token) => _byChars.TryGetValue(token, out var id) ? id : -1;

    public int IdOf(ReadOnlySpan<byte> utf8Token)
    {
        // Tokens are short; a long one is decoded on the heap rather than failing.
        Span<char> chars = utf8Token.Length <= 256 ? stackalloc char[256] : new char[Encoding.UTF8.GetMaxCharCount(utf8Token.Length)];
        var n = Encoding.UTF8.GetChars(utf8Token, chars);
        return IdOf(chars[..n]);
    }

    /// <summary>Counts the corpus (all parts, one pass) and builds the vocabulary.</summary>
    /// <param name="minCount">Words seen fewer times are dropped (word2vec -min-count; its default is 5).</param>
    /// <param name="maxSize">While counting, the vocabulary is pruned whenever it holds more words than this (word2vec prunes at 21 million).</param>
    public static Vocabulary Build(ISentenceCorpus corpus, int minCount = 5, int maxSize = 21_000_000, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        long sentences = 0;
        long tokens = 0;
        var minReduce = 1L;
        foreach (var sentence in corpus.Read(0, 1, cancellationToken))
        {
            sentences++;
            foreach (var token in sentence)
            {
                if (lookup.TryGetValue(token.AsSpan(), out var c))
                {
                    lookup[token.AsSpan()] = c + 1;
                }
                else
                {
                    counts[token] = 1;
                    if (counts.Count > maxSize)
                    {
                        minReduce = Reduce(counts, minReduce);
                    }
                }
            }

            tokens += sentence.Count;
            if ((sentences & 0x3FFF) == 0)
            {
                progress?.Report(tokens);
            }
        }

        progress?.Report(tokens);
        return FromCounts(counts, sentences, minCount);
    }

    /// <summary>Sorts counted words (most frequent first, ties in ordinal order) after <see cref="SentenceEnd"/>, dropping those below <paramref name="minCount"/>.</summary>
    public static Vocabulary FromCounts(IReadOnlyDictionary<string, long> counts, long sentences, int minCount)
    {
        var kept = counts.Where(p => p.Value >= minCount && p.Key != SentenceEnd)
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        var words = new List<string>(kept.Count + 1) { SentenceEnd };
        var wordCounts = new List<long>(kept.Count + 1) { sentences + (counts.TryGetValue(SentenceEnd, out var literal) ? literal : 0) };
        foreach (var (word, count) in kept)
        {
            words.Add(word);
            wordCounts.Add(count);
        }

        return new Vocabulary(words, wordCounts);
    }

    /// <summary>word2vec's ReduceVocab: drops every word seen at most <paramref name="minReduce"/> times, then raises the bar.</summary>
    internal static long Reduce(Dictionary<string, long> counts, long minReduce)
    {
        foreach (var (word, count) in counts)
        {
            if (count <= minReduce)
            {
                counts.Remove(word);
            }
        }

        return minReduce + 1;
    }
}
