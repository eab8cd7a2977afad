using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Store.Filtering;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

// Reading points in pages and editing payloads in place: what a Qdrant-style API needs beyond upsert and search.
public sealed partial class Collection
{
    // Ids in the order Qdrant gives them: shorter first, then by text, so canonical integer ids come out in
    // numeric order and before UUIDs.
    private const string IdOrder = "length(id), id";

    /// <summary>
    /// A page of at most <paramref name="limit"/> points matching <paramref name="filter"/>, in id order, starting at
    /// the id <paramref name="offset"/> (inclusive) when given.
    /// </summary>
    public ScrollPage Scroll(int limit, string? offset = null, PayloadFilter? filter = null, bool withVectors = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (limit < 1)
        {
            throw new QuiverException($"The page size is {limit}; it must be at least 1.");
        }

        using var connection = Connect();
        using var command = connection.CreateCommand();
        var where = FilterSql.Where(filter, command, PayloadIndexes);
        if (offset is not null)
        {
            where += (where.Length == 0 ? " WHERE " : " AND ") + "(length(id), id) >= (length($offset), $offset)";
            command.Parameters.AddWithValue("$offset", offset);
        }

        command.CommandText = $"SELECT id, {(withVectors ? "vector" : "NULL")}, payload, text FROM points{where} ORDER BY {IdOrder} LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit + 1L);
        var points = ReadPoints(command);
        string? next = null;
        if (points.Count > limit)
        {
            next = points[limit].Id;
            points.RemoveAt(limit);
        }

        return new ScrollPage(points, next);
    }

    /// <summary>The sequence number of the last committed change (what an acknowledged write's operation id is).</summary>
    public long Sequence()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        return CollectionDatabase.ReadSequence(connection, null);
    }

    /// <summary>The points with these ids that exist, in the order asked (each once).</summary>
    public IReadOnlyList<Point> Get(IReadOnlyList<string> ids, bool withVectors = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT id, {(withVectors ? "vector" : "NULL")}, payload, text FROM points WHERE id = $id";
        var parameter = command.Parameters.Add("$id", SqliteType.Text);
        var found = new List<Point>(ids.Count);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            parameter.Value = id;
            found.AddRange(ReadPoints(command));
        }

        transaction.Commit();
        return found;
    }

    /// <summary>Deletes every point matching <paramref name="filter"/> in one transaction; returns how many.</summary>
    public int Delete(PayloadFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Edit(filter, ids: null, edit: null);
    }

    /// <summary>
    /// Changes the payload of the points with <paramref name="ids"/> (or matching <paramref name="filter"/>) in one
    /// transaction: <paramref name="edit"/> gets the current payload (null when none) and returns the new one (null to
    /// clear it). Points that do not exist are skipped. Returns how many points changed.
    /// </summary>
    public int EditPayload(IReadOnlyList<string>? ids, PayloadFilter? filter, Func<JsonObject?, JsonObject?> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if ((ids is null) == (filter is null))
        {
            throw new ArgumentException("Give either the point ids or a filter.");
        }

        return Edit(filter, ids, edit);
    }

    // One write transaction over the chosen points: edit their payload (re-sequenced so indexes replay the change),
    // or delete them when there is no edit.
    private int Edit(PayloadFilter? filter, IReadOnlyList<string>? ids, Func<JsonObject?, JsonObject?>? edit)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var transaction = CollectionDatabase.BeginWrite(connection, Name, Space);
        var targets = new List<(string Id, string? Payload)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            if (ids is not null)
            {
                select.CommandText = "SELECT id, payload FROM points WHERE id = $id";
                var parameter = select.Parameters.Add("$id", SqliteType.Text);
                foreach (var id in ids.Distinct(StringComparer.Ordinal))
                {
                    parameter.Value = id;
                    using var reader = select.ExecuteReader();
                    if (reader.Read())
                    {
                        targets.Add((id, reader.IsDBNull(1) ? null : reader.GetString(1)));
                    }
                }
            }
            else
            {
                select.CommandText = "SELECT id, payload FROM points" + FilterSql.Where(filter, select, PayloadIndexes);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    targets.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                }
            }
        }

        var sequence = CollectionDatabase.ReadSequence(connection, transaction);
        using var write = connection.CreateCommand();
        write.Transaction = transaction;
        var idParameter = write.Parameters.Add("$id", SqliteType.Text);
        var seqParameter = write.Parameters.Add("$seq", SqliteType.Integer);
        var payloadParameter = edit is null ? null : write.Parameters.Add("$payload", SqliteType.Text);
        write.CommandText = edit is null
            ? "DELETE FROM points WHERE id = $id; INSERT INTO deletions(seq, id) VALUES ($seq, $id);"
            : "UPDATE points SET payload = $payload, seq = $seq WHERE id = $id";
        foreach (var (id, payload) in targets)
        {
            idParameter.Value = id;
            seqParameter.Value = ++sequence;
            if (edit is not null)
            {
                var current = payload is null ? null : JsonNode.Parse(payload)!.AsObject();
                var updated = edit(current);
                payloadParameter!.Value = (object?)updated?.ToJsonString() ?? DBNull.Value;
            }

            write.ExecuteNonQuery();
        }

        CollectionDatabase.WriteSequence(connection, transaction, sequence);
        transaction.Commit();
        return targets.Count;
    }

    /// <summary>
    /// Every point matching <paramref name="filter"/>, with its vector, in id order, streamed from one read transaction:
    /// the points are those of a single moment (writes committed meanwhile are not seen), and memory stays that of one
    /// point. For exports and analysis; the snapshot keeps SQLite from checkpointing past it while it is read.
    /// </summary>
    public IEnumerable<Point> ReadAll(PayloadFilter? filter = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = FilterSql.Where(filter, command, PayloadIndexes);
        command.CommandText = $"SELECT id, vector, payload, text FROM points{where} ORDER BY {IdOrder}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ReadPoint(reader);
        }
    }

    private static List<Point> ReadPoints(SqliteCommand command)
    {
        var points = new List<Point>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            points.Add(ReadPoint(reader));
        }

        return points;
    }

    private static Point ReadPoint(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? [] : CollectionDatabase.FromBlob((byte[])reader.GetValue(1)),
        reader.IsDBNull(2) ? null : JsonNode.Parse(reader.GetString(2))!.AsObject(),
        reader.IsDBNull(3) ? null : reader.GetString(3));
}
