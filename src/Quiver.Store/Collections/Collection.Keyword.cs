using System.Text.Json.Nodes;
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
        using var connection = Connect();
        using var command = connection.CreateCommand();
        var where = FilterSql.Where(filter, command, PayloadIndexes);
        command.CommandText = $"""
            SELECT points.id, bm25({KeywordSchema.Table}) AS rank, points.payload, points.text
            FROM {KeywordSchema.Table} JOIN points ON points.seq = {KeywordSchema.Table}.rowid
            WHERE {KeywordSchema.Table} MATCH $match{(where.Length == 0 ? string.Empty : " AND " + where[" WHERE ".Length..])}
            ORDER BY rank, points.id
            LIMIT $k
            """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$k", k);
        var hits = new List<SearchHit>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            hits.Add(new SearchHit(
                reader.GetString(0),
                (float)-reader.GetDouble(1),
                reader.IsDBNull(2) ? null : JsonNode.Parse(reader.GetString(2))!.AsObject(),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return hits;
    }

    /// <summary>
    /// Whether any point has text for keyword search (an image collection, or one upserted with vectors only, has
    /// none). Reads one row of the keyword index's own table of documents, so it costs the same on any size.
    /// </summary>
    public bool HasKeywordText()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        return CollectionDatabase.Scalar(connection, $"SELECT 1 FROM {KeywordSchema.Table}_docsize LIMIT 1", null) is not null;
    }

    /// <summary>Keyword rows against points with text, for tests and <c>quiver inspect</c>: in step when both counts match and no row is orphaned.</summary>
    internal (long KeywordRows, long PointsWithText, long Orphans) KeywordCensus()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: true);
        var census = KeywordSchema.Census(connection, transaction);
        transaction.Commit();
        return census;
    }

    /// <summary>FTS5's own integrity check of the keyword index against the points' text; throws when they differ.</summary>
    internal void CheckKeywordIntegrity()
    {
        using var connection = Connect();
        CollectionDatabase.Execute(connection, $"INSERT INTO {KeywordSchema.Table}({KeywordSchema.Table}, rank) VALUES ('integrity-check', 1)");
    }

}
