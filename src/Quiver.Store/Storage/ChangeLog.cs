using System.Globalization;
using Microsoft.Data.Sqlite;
using Quiver.Store.Reembedding;

namespace Quiver.Store.Storage;

/// <summary>
/// The changes of a collection in sequence order: points carry the number of their last change, deletions are logged
/// with theirs. What the index replays on open and what a re-embedding copies forward.
/// </summary>
internal static class ChangeLog
{
    /// <summary>
    /// Each change after <paramref name="after"/> in order: a point's id, its vector and the values of the indexed payload
    /// <paramref name="fields"/> (in that order), or a deletion's id with a null vector.
    /// </summary>
    public static IEnumerable<(string Id, byte[]? Vector, object?[] Values)> Replay(
        SqliteConnection connection, SqliteTransaction transaction, long after, IReadOnlyList<string> fields)
    {
        var columns = string.Concat(fields.Select(f => ", " + FilterSql.IndexedExpression(f)));
        var nulls = string.Concat(fields.Select(_ => ", NULL"));
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT seq, id, vector{columns} FROM points WHERE seq > $after
            UNION ALL
            SELECT seq, id, NULL{nulls} FROM deletions WHERE seq > $after
            ORDER BY 1
            """;
        command.Parameters.AddWithValue("$after", after);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var values = fields.Count == 0 ? [] : new object?[fields.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(3 + i) ? null : reader.GetValue(3 + i);
            }

            yield return (reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2), values);
        }
    }

    /// <summary>
    /// At most <paramref name="limit"/> changes after sequence <paramref name="after"/>, in sequence order: points as
    /// they are now (a point changed twice shows once, at its latest number) and deletions.
    /// </summary>
    public static List<PointChange> After(SqliteConnection connection, SqliteTransaction? transaction, long after, int limit)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT seq, id, payload, text, 0 FROM points WHERE seq > $after
            UNION ALL
            SELECT seq, id, NULL, NULL, 1 FROM deletions WHERE seq > $after
            ORDER BY 1 LIMIT $limit
            """;
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", limit);
        var changes = new List<PointChange>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            changes.Add(new PointChange(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt64(4) == 1));
        }

        return changes;
    }

    public static long ReadSequence(SqliteConnection connection, SqliteTransaction? transaction) =>
        Convert.ToInt64(CollectionDatabase.Scalar(connection, "SELECT value FROM meta WHERE key = 'seq'", transaction), CultureInfo.InvariantCulture);

    public static void WriteSequence(SqliteConnection connection, SqliteTransaction transaction, long sequence) =>
        CollectionDatabase.Execute(connection, "UPDATE meta SET value = $v WHERE key = 'seq'", transaction, ("$v", sequence.ToString(CultureInfo.InvariantCulture)));
}
