using Quiver.Core;
using Quiver.Store.Filtering;
using Quiver.Store.Keyword;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>
/// Keyword search with statistics given from outside: what a sharded collection needs, whose shards must weigh words
/// by the whole collection's document frequencies and average length rather than their own.
/// </summary>
public sealed partial class Collection
{
    /// <summary>This collection's share of the BM25 statistics for <paramref name="query"/>'s words (see <see cref="KeywordCorpus"/>).</summary>
    public KeywordCorpus KeywordCorpusOf(string query)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var words = KeywordWords(query);
        using var connection = _storage.Open();
        var terms = KeywordStatistics.Terms(connection, words, KeywordStemming);
        KeywordStatistics.EnsureInstances(connection);
        using var transaction = connection.BeginTransaction(deferred: true);
        var corpus = KeywordStatistics.Corpus(connection, transaction, terms);
        transaction.Commit();
        return corpus;
    }

    /// <summary>
    /// Like <see cref="SearchKeyword(string, int, PayloadFilter?)"/>, but with BM25 weighed by <paramref name="corpus"/>
    /// (read for the same query) instead of this collection's own statistics. Given this collection's own corpus it
    /// returns exactly what that method returns: the same ids, order and scores.
    /// </summary>
    public IReadOnlyList<SearchHit> SearchKeyword(string query, int k, PayloadFilter? filter, KeywordCorpus corpus)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(corpus);
        if (k <= 0)
        {
            throw new QuiverException($"The number of results is {k}; it must be at least 1.");
        }

        var words = KeywordWords(query);
        if (corpus.DocumentFrequencies.Count != words.Count)
        {
            throw new ArgumentException(
                $"The corpus counts {corpus.DocumentFrequencies.Count} words but the query '{query}' has {words.Count}; read the corpus for this query.", nameof(corpus));
        }

        using var connection = _storage.Open();
        var terms = KeywordStatistics.Terms(connection, words, KeywordStemming);
        KeywordStatistics.EnsureInstances(connection);
        using var transaction = connection.BeginTransaction(deferred: true);
        var frequencies = KeywordStatistics.Frequencies(connection, transaction, terms);
        using var docsize = KeywordStatistics.DocsizeCommand(connection, transaction);
        var ids = KeywordTable.IdsOf(connection, transaction, frequencies.Keys, filter, PayloadIndexes);
        var scored = new List<(double Score, string Id)>(ids.Count);
        foreach (var (rowid, counts) in frequencies)
        {
            if (ids.TryGetValue(rowid, out var id))
            {
                scored.Add((KeywordStatistics.Score(corpus, counts, KeywordStatistics.Length(docsize, rowid)), id));
            }
        }

        // FTS5 orders by rank (the score with its sign turned), then by id as SQLite compares text.
        scored.Sort((a, b) => b.Score.CompareTo(a.Score) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        var top = scored.Take(k).Select(s => new SearchHit(s.Id, (float)s.Score, null, null)).ToList();
        var hits = PointTable.Complete(connection, transaction, top, withPayload: true, withVectors: false);
        transaction.Commit();
        return hits;
    }

    // The query's words as FTS5 would search them, refusing a query with none the way the FTS5 search does.
    private static IReadOnlyList<string> KeywordWords(string query)
    {
        KeywordQuery.ToMatch(query);
        return KeywordQuery.Words(query);
    }
}
