using Quiver.Core;
using Quiver.Store.Filtering;
using Quiver.Store.Keyword;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>Keyword search: BM25 over the FTS5 index that lives in the collection's own SQLite file.</summary>
public sealed partial class Collection
{
    /// <summary>How the keyword index reduces words (fixed at creation).</summary>
    public KeywordStemming KeywordStemming { get; init; }

    /// <summary>
    /// The <paramref name="k"/> points whose text best matches any of the words of <paramref name="query"/> by BM25
    /// (k1 = 1.2, b = 0.75), among those that match <paramref name="filter"/>, best first. Scores are BM25 scores,
    /// higher is better (FTS5's bm25() with its sign turned). Points without text are never keyword hits.
    /// </summary>
    public IReadOnlyList<SearchHit> SearchKeyword(string query, int k, PayloadFilter? filter = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (k <= 0)
        {
            throw new QuiverException($"The number of results is {k}; it must be at least 1.");
        }

        var match = KeywordQuery.ToMatch(query);
        using var connection = _storage.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var hits = PointTable.Complete(
            connection, transaction, Bare(KeywordTable.Search(connection, transaction, match, k, filter, PayloadIndexes)), withPayload: true, withVectors: false);
        transaction.Commit();
        return hits;
    }

    /// <summary>
    /// Whether any point has text for keyword search (an image collection, or one upserted with vectors only, has
    /// none). Reads one row of the keyword index's own table of documents, so it costs the same on any size.
    /// </summary>
    public bool HasKeywordText()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return KeywordTable.HasText(connection);
    }

    /// <summary>Keyword rows against points with text, for tests and <c>quiver inspect</c>: in step when both counts match and no row is orphaned.</summary>
    internal (long KeywordRows, long PointsWithText, long Orphans) KeywordCensus()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var census = KeywordSchema.Census(connection, transaction);
        transaction.Commit();
        return census;
    }

    /// <summary>FTS5's own integrity check of the keyword index against the points' text; throws when they differ.</summary>
    internal void CheckKeywordIntegrity()
    {
        using var connection = _storage.Open();
        KeywordTable.CheckIntegrity(connection);
    }
}
