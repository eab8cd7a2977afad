namespace Quiver.Store.Keyword;

/// <summary>
/// The statistics BM25 weighs a keyword query's words by: how many documents (points with text) there are, how many
/// tokens they hold together, and in how many documents each word of the query occurs (one count per word, in the
/// order <see cref="Collections.Collection.KeywordCorpusOf"/> read them). Corpora of disjoint parts of one collection
/// add up to the corpus of the whole, which is how a sharded collection scores with collection-wide statistics.
/// </summary>
public sealed record KeywordCorpus(long Documents, long Tokens, IReadOnlyList<long> DocumentFrequencies)
{
    /// <summary>The corpus of the union of disjoint parts read for the same query.</summary>
    public static KeywordCorpus Sum(IReadOnlyList<KeywordCorpus> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Give at least one part to add up.", nameof(parts));
        }

        var words = parts[0].DocumentFrequencies.Count;
        var frequencies = new long[words];
        long documents = 0, tokens = 0;
        foreach (var part in parts)
        {
            if (part.DocumentFrequencies.Count != words)
            {
                throw new ArgumentException(
                    $"The parts were read for different queries: one counts {words} words, another {part.DocumentFrequencies.Count}.", nameof(parts));
            }

            documents += part.Documents;
            tokens += part.Tokens;
            for (var i = 0; i < words; i++)
            {
                frequencies[i] += part.DocumentFrequencies[i];
            }
        }

        return new KeywordCorpus(documents, tokens, frequencies);
    }
}
