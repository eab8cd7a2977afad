namespace Quiver.Training.Corpus;

/// <summary>
/// A training corpus that can be read again for every epoch, as sentences of tokens. It is read in parts so that
/// training threads each stream their own share of a file larger than memory, as the original word2vec does.
/// </summary>
public interface ISentenceCorpus
{
    /// <summary>
    /// Reads part <paramref name="part"/> of <paramref name="parts"/>; the parts together hold every sentence once.
    /// The returned list may be reused by the next iteration: copy it to keep it.
    /// </summary>
    IEnumerable<IReadOnlyList<string>> Read(int part, int parts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads part <paramref name="part"/> of <paramref name="parts"/> as sentences of token ids, unknown tokens
    /// (id -1) left out. The segment's array is reused by the next iteration. Training reads every epoch this way, so
    /// a corpus that can look tokens up from its own bytes (as <see cref="TextFileCorpus"/> does) should override it.
    /// </summary>
    IEnumerable<ArraySegment<int>> ReadIds(int part, int parts, ITokenLookup lookup, CancellationToken cancellationToken = default)
    {
        var ids = new int[TextFileCorpus.MaxSentenceLength];
        foreach (var sentence in Read(part, parts, cancellationToken))
        {
            if (ids.Length < sentence.Count)
            {
                ids = new int[sentence.Count];
            }

            var n = 0;
            foreach (var token in sentence)
            {
                var id = lookup.IdOf(token.AsSpan());
                if (id >= 0)
                {
                    ids[n++] = id;
                }
            }

            yield return new ArraySegment<int>(ids, 0, n);
        }
    }
}
