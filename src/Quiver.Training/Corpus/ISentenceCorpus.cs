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
}
