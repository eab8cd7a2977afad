using Microsoft.Data.Sqlite;
using Quiver.Store.Filtering;

namespace Quiver.Store.Storage;

/// <summary>The statements over the FTS5 keyword index that a keyword search runs against the points table.</summary>
internal static class KeywordTable
{
    /// <summary>
    /// The <paramref name="k"/> points whose text best matches the FTS5 query <paramref name="match"/> among those
    /// matching <paramref name="filter"/>, best first, with their BM25 score turned higher-is-better.
    /// </summary>
    public static List<(string Id, float Score)> Search(
        SqliteConnection connection, SqliteTransaction? transaction, string match, int k, PayloadFilter? filter, IReadOnlyDictionary<string, PayloadIndexKind> indexes)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = FilterSql.Where(filter, command, indexes);
        command.CommandText = $"""
            SELECT points.id, bm25({KeywordSchema.Table}) AS rank
            FROM {KeywordSchema.Table} JOIN points ON points.seq = {KeywordSchema.Table}.rowid
            WHERE {KeywordSchema.Table} MATCH $match{(where.Length == 0 ? string.Empty : " AND " + where[" WHERE ".Length..])}
            ORDER BY rank, points.id
            LIMIT $k
            """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$k", k);
        var hits = new List<(string Id, float Score)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            hits.Add((reader.GetString(0), (float)-reader.GetDouble(1)));
        }

        return hits;
    }

    /// <summary>The ids of the points with these sequence numbers (keyword rowids) that match <paramref name="filter"/>, in one statement.</summary>
    public static Dictionary<long, string> IdsOf(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<long> rowids, PayloadFilter? filter, IReadOnlyDictionary<string, PayloadIndexKind> indexes)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = FilterSql.Where(filter, command, indexes);
        command.CommandText = $"SELECT seq, id FROM points WHERE seq IN (SELECT value FROM json_each($seqs)){(where.Length == 0 ? string.Empty : " AND " + where[" WHERE ".Length..])}";
        command.Parameters.AddWithValue("$seqs", PointTable.JsonArray(rowids));
        var ids = new Dictionary<long, string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids[reader.GetInt64(0)] = reader.GetString(1);
        }

        return ids;
    }

    /// <summary>Whether any point has text, from one row of FTS5's own table of documents (the same cost on any size).</summary>
    public static bool HasText(SqliteConnection connection) =>
        CollectionDatabase.Scalar(connection, $"SELECT 1 FROM {KeywordSchema.Table}_docsize LIMIT 1", null) is not null;

    /// <summary>FTS5's own integrity check of the keyword index against the points' text; throws when they differ.</summary>
    public static void CheckIntegrity(SqliteConnection connection) =>
        CollectionDatabase.Execute(connection, $"INSERT INTO {KeywordSchema.Table}({KeywordSchema.Table}, rank) VALUES ('integrity-check', 1)");
}
