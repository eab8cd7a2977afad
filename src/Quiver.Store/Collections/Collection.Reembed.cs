using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Quiver.Store.Reembedding;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

// What a re-embedding reads from the collection it starts from (its changes in sequence order, under its write lock at
// the end) and writes into the version it builds (vectors, deletions and its checkpoint in one transaction).
public sealed partial class Collection
{
    /// <summary>The meta key of a version being built: the last sequence number of its source that it holds.</summary>
    internal const string ReembedCheckpointKey = "reembed_checkpoint";

    /// <summary>The meta key of a version being built: the collection id of the database it is re-embedded from.</summary>
    internal const string ReembedSourceKey = "reembed_source_id";

    /// <summary>This database's collection id (new for every database, a re-embedded version included).</summary>
    internal Guid CollectionId => Binding.CollectionId;

    /// <summary>
    /// At most <paramref name="limit"/> changes after sequence <paramref name="after"/>, in sequence order: points as
    /// they are now (a point changed twice shows once, at its latest number) and deletions. Reads in
    /// <paramref name="transaction"/> when given (the write lock of the switch), else in a short read of its own.
    /// </summary>
    internal List<PointChange> ChangesAfter(long after, int limit, SqliteTransaction? transaction = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var owned = transaction is null ? Connect() : null;
        var connection = transaction?.Connection ?? owned!;
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

    /// <summary>How many points changed after <paramref name="after"/> (the work left to a re-embedding).</summary>
    internal long CountChangedAfter(long after)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        return (long)CollectionDatabase.Scalar(connection, "SELECT COUNT(*) FROM points WHERE seq > $after", null, ("$after", after))!;
    }

    /// <summary>How many points have no text to embed (none, or only white space), and the first <paramref name="limit"/> of their ids.</summary>
    internal (long Count, List<string> Ids) Textless(int limit)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        const string Where = " FROM points WHERE text IS NULL OR trim(text) = ''";
        var count = (long)CollectionDatabase.Scalar(connection, "SELECT COUNT(*)" + Where)!;
        var ids = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id{Where} ORDER BY {IdOrder} LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return (count, ids);
    }

    /// <summary>
    /// Takes this collection's write lock (other writers, in any process, wait) for the end of a re-embedding: the
    /// last changes are read under it, then <see cref="Retire"/> marks the database replaced and lets go.
    /// </summary>
    internal SqliteTransaction LockWrites()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = Connect();
        try
        {
            return CollectionDatabase.BeginWrite(connection, Name, Space);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Marks the database locked by <paramref name="writes"/> as replaced by <paramref name="version"/> and commits; it takes no writes after.</summary>
    internal static void Retire(SqliteTransaction writes, string version)
    {
        var connection = writes.Connection!;
        WriteMeta(connection, writes, CollectionDatabase.SupersededByKey, version);
        WriteMeta(connection, writes, CollectionDatabase.SupersededAtKey, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        writes.Commit();
    }

    /// <summary>For each id this collection holds: its text and vector (what a re-embedding reuses when only the payload changed).</summary>
    internal Dictionary<string, (string? Text, float[] Vector)> TextsAndVectors(IEnumerable<string> ids)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT text, vector FROM points WHERE id = $id";
        var parameter = command.Parameters.Add("$id", SqliteType.Text);
        var found = new Dictionary<string, (string? Text, float[] Vector)>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            parameter.Value = id;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                found[id] = (reader.IsDBNull(0) ? null : reader.GetString(0), CollectionDatabase.FromBlob((byte[])reader.GetValue(1)));
            }
        }

        transaction.Commit();
        return found;
    }

    /// <summary>
    /// Writes a re-embedded batch into this (new) version in one transaction: the points, the deletions and the
    /// source's sequence number they bring it up to, so a run stopped at any moment resumes exactly after the last
    /// batch it wrote.
    /// </summary>
    internal void ApplyReembedded(IReadOnlyList<Point> points, IReadOnlyList<string> deletions, long checkpoint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rows = points.Select(p => (p.Id, CollectionDatabase.ToBlob(Prepare(p.Vector, $"Point '{p.Id}'")), p.Payload?.ToJsonString(), p.Text)).ToList();
        using var connection = Connect();
        using var transaction = CollectionDatabase.BeginWrite(connection, Name, Space);
        var sequence = CollectionDatabase.ReadSequence(connection, transaction);
        WriteRows(connection, transaction, rows, ref sequence);
        foreach (var id in deletions)
        {
            if (CollectionDatabase.Scalar(connection, "DELETE FROM points WHERE id = $id RETURNING 1", transaction, ("$id", id)) is not null)
            {
                CollectionDatabase.Execute(connection, "INSERT INTO deletions(seq, id) VALUES ($seq, $id)", transaction, ("$seq", ++sequence), ("$id", id));
            }
        }

        CollectionDatabase.WriteSequence(connection, transaction, sequence);
        WriteMeta(connection, transaction, ReembedCheckpointKey, checkpoint.ToString(CultureInfo.InvariantCulture));
        transaction.Commit();
    }

    /// <summary>A meta value of this database (null when absent).</summary>
    internal string? ReadMeta(string key)
    {
        using var connection = Connect();
        return CollectionDatabase.Scalar(connection, "SELECT value FROM meta WHERE key = $k", null, ("$k", key)) as string;
    }

    internal void WriteMeta(string key, string value)
    {
        using var connection = Connect();
        using var transaction = CollectionDatabase.BeginWrite(connection, Name, Space);
        WriteMeta(connection, transaction, key, value);
        transaction.Commit();
    }

    private static void WriteMeta(SqliteConnection connection, SqliteTransaction transaction, string key, string value) =>
        CollectionDatabase.Execute(
            connection, "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", transaction, ("$k", key), ("$v", value));

    /// <summary>A change's payload as JSON (null when it has none).</summary>
    internal static JsonObject? ParsePayload(string? payload) => payload is null ? null : JsonNode.Parse(payload)!.AsObject();
}
