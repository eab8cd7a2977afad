using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.Store.Storage;

/// <summary>
/// The statements over a collection's points table (id, sequence number, vector, payload JSON, text) and its
/// deletions log. Reads of many ids go in one statement through <c>json_each</c>, so a search costs one round trip
/// for its hits whatever k is.
/// </summary>
internal static class PointTable
{
    // Ids in the order Qdrant gives them: shorter first, then by text, so canonical integer ids come out in
    // numeric order and before UUIDs.
    private const string IdOrder = "length(id), id";

    // The ids of a JSON array bound to $ids: one statement text for any number of ids, no limit on host parameters.
    private const string InIds = "id IN (SELECT value FROM json_each($ids))";

    /// <summary>Inserts or replaces <paramref name="rows"/>, each with the next sequence number.</summary>
    public static void Upsert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<PointRow> rows, ref long sequence)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO points(id, seq, vector, payload, text) VALUES ($id, $seq, $vector, $payload, $text)
            ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, vector = excluded.vector, payload = excluded.payload, text = excluded.text
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        var payload = command.Parameters.Add("$payload", SqliteType.Text);
        var text = command.Parameters.Add("$text", SqliteType.Text);
        foreach (var row in rows)
        {
            id.Value = row.Id;
            seq.Value = ++sequence;
            vector.Value = row.Vector;
            payload.Value = (object?)row.Payload ?? DBNull.Value;
            text.Value = (object?)row.Text ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Deletes the points with <paramref name="ids"/> that exist, logging each deletion under the next sequence number; returns how many.</summary>
    public static int Delete(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> ids, ref long sequence)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM points WHERE id = $id RETURNING 1";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        using var log = connection.CreateCommand();
        log.Transaction = transaction;
        log.CommandText = "INSERT INTO deletions(seq, id) VALUES ($seq, $id)";
        var logId = log.Parameters.Add("$id", SqliteType.Text);
        var logSeq = log.Parameters.Add("$seq", SqliteType.Integer);
        var deleted = 0;
        foreach (var target in ids)
        {
            id.Value = target;
            if (command.ExecuteScalar() is not null)
            {
                logId.Value = target;
                logSeq.Value = ++sequence;
                log.ExecuteNonQuery();
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>The points with these ids that exist, in the order asked (each once), read in one statement.</summary>
    public static List<Point> Get(SqliteConnection connection, SqliteTransaction? transaction, IReadOnlyList<string> ids, bool withVectors)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT id, {(withVectors ? "vector" : "NULL")}, payload, text FROM points WHERE {InIds}";
        command.Parameters.AddWithValue("$ids", JsonArray(ids));
        var found = new Dictionary<string, Point>(ids.Count, StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var point = ReadPoint(reader);
                found[point.Id] = point;
            }
        }

        var ordered = new List<Point>(found.Count);
        foreach (var id in ids)
        {
            if (found.Remove(id, out var point))
            {
                ordered.Add(point);
            }
        }

        return ordered;
    }

    /// <summary>
    /// The hits' payloads and texts (when <paramref name="withPayload"/>) and stored vectors (when
    /// <paramref name="withVectors"/>) in one statement, in the hits' order. A hit whose point is gone (the shared index
    /// ran ahead of this transaction's snapshot) is left out.
    /// </summary>
    public static List<SearchHit> Complete(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<SearchHit> hits, bool withPayload, bool withVectors)
    {
        if (hits.Count == 0)
        {
            return [];
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT id, {(withVectors ? "vector" : "NULL")}, {(withPayload ? "payload, text" : "NULL, NULL")} FROM points WHERE {InIds}";
        command.Parameters.AddWithValue("$ids", JsonArray(hits.Select(h => h.Id)));
        var rows = new Dictionary<string, Point>(hits.Count, StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var point = ReadPoint(reader);
                rows[point.Id] = point;
            }
        }

        var completed = new List<SearchHit>(hits.Count);
        foreach (var hit in hits)
        {
            if (rows.TryGetValue(hit.Id, out var row))
            {
                completed.Add(new SearchHit(hit.Id, hit.Score, row.Payload, row.Text) { Vector = withVectors ? row.Vector : null });
            }
        }

        return completed;
    }

    /// <summary>The stored vectors of <paramref name="ids"/> in one statement, in order; a zero vector for an id that is gone.</summary>
    public static float[][] Vectors(SqliteConnection connection, SqliteTransaction? transaction, IReadOnlyList<string> ids, int dimensions)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT id, vector FROM points WHERE {InIds}";
        command.Parameters.AddWithValue("$ids", JsonArray(ids));
        var found = new Dictionary<string, float[]>(ids.Count, StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                found[reader.GetString(0)] = CollectionDatabase.FromBlob((byte[])reader.GetValue(1));
            }
        }

        var vectors = new float[ids.Count][];
        for (var i = 0; i < ids.Count; i++)
        {
            vectors[i] = found.TryGetValue(ids[i], out var vector) ? vector : new float[dimensions];
        }

        return vectors;
    }

    /// <summary>For each of <paramref name="ids"/> that exists: its text and vector, read in one statement.</summary>
    public static Dictionary<string, (string? Text, float[] Vector)> TextsAndVectors(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> ids)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT id, text, vector FROM points WHERE {InIds}";
        command.Parameters.AddWithValue("$ids", JsonArray(ids));
        var found = new Dictionary<string, (string? Text, float[] Vector)>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), CollectionDatabase.FromBlob((byte[])reader.GetValue(2)));
        }

        return found;
    }

    /// <summary>
    /// A page of at most <paramref name="limit"/> points matching <paramref name="filter"/> in id order from
    /// <paramref name="offset"/> (inclusive), and the id the next page starts at.
    /// </summary>
    public static ScrollPage Scroll(SqliteConnection connection, int limit, string? offset, PayloadFilter? filter, IReadOnlyDictionary<string, PayloadIndexKind> indexes, bool withVectors)
    {
        using var command = connection.CreateCommand();
        var where = FilterSql.Where(filter, command, indexes);
        if (offset is not null)
        {
            where += (where.Length == 0 ? " WHERE " : " AND ") + "(length(id), id) >= (length($offset), $offset)";
            command.Parameters.AddWithValue("$offset", offset);
        }

        command.CommandText = $"SELECT id, {(withVectors ? "vector" : "NULL")}, payload, text FROM points{where} ORDER BY {IdOrder} LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit + 1L);
        var points = new List<Point>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                points.Add(ReadPoint(reader));
            }
        }

        string? next = null;
        if (points.Count > limit)
        {
            next = points[limit].Id;
            points.RemoveAt(limit);
        }

        return new ScrollPage(points, next);
    }

    /// <summary>Every point matching <paramref name="filter"/>, with its vector, in id order, streamed from <paramref name="transaction"/>.</summary>
    public static IEnumerable<Point> ReadAll(SqliteConnection connection, SqliteTransaction transaction, PayloadFilter? filter, IReadOnlyDictionary<string, PayloadIndexKind> indexes)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = FilterSql.Where(filter, command, indexes);
        command.CommandText = $"SELECT id, vector, payload, text FROM points{where} ORDER BY {IdOrder}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ReadPoint(reader);
        }
    }

    /// <summary>The ids of the points matching <paramref name="filter"/>, in SQLite's order unless <paramref name="ordered"/>.</summary>
    public static IEnumerable<string> Ids(SqliteConnection connection, SqliteTransaction? transaction, PayloadFilter? filter, IReadOnlyDictionary<string, PayloadIndexKind> indexes, bool ordered)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM points" + FilterSql.Where(filter, command, indexes) + (ordered ? " ORDER BY id" : string.Empty);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader.GetString(0);
        }
    }

    public static long Count(SqliteConnection connection, SqliteTransaction? transaction = null, PayloadFilter? filter = null, IReadOnlyDictionary<string, PayloadIndexKind>? indexes = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM points" + FilterSql.Where(filter, command, indexes);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>SQLite's plan for the query that selects the points matching <paramref name="filter"/>.</summary>
    public static string ExplainFilter(SqliteConnection connection, PayloadFilter filter, IReadOnlyDictionary<string, PayloadIndexKind> indexes)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM points" + FilterSql.Where(filter, command, indexes);
        using var reader = command.ExecuteReader();
        var plan = new StringBuilder();
        while (reader.Read())
        {
            plan.AppendLine(reader.GetString(3));
        }

        return plan.ToString();
    }

    /// <summary>Indexes the payload field <paramref name="key"/> with an expression index named after its hash.</summary>
    public static void CreatePayloadIndex(SqliteConnection connection, SqliteTransaction transaction, string key)
    {
        var name = "payload_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        CollectionDatabase.Execute(connection, $"CREATE INDEX IF NOT EXISTS {name} ON points({FilterSql.IndexedExpression(key)})", transaction);
    }

    /// <summary>Each point's id and the value of the indexed payload field <paramref name="field"/> (null when absent).</summary>
    public static IEnumerable<(string Id, object? Value)> IndexedValues(SqliteConnection connection, SqliteTransaction transaction, string field)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT id, {FilterSql.IndexedExpression(field)} FROM points";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetValue(1));
        }
    }

    /// <summary>The payload JSON of the points with <paramref name="ids"/> (those that exist), or of those matching <paramref name="filter"/>.</summary>
    public static List<(string Id, string? Payload)> Payloads(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string>? ids, PayloadFilter? filter, IReadOnlyDictionary<string, PayloadIndexKind> indexes)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var targets = new List<(string Id, string? Payload)>();
        if (ids is not null)
        {
            command.CommandText = $"SELECT id, payload FROM points WHERE {InIds}";
            command.Parameters.AddWithValue("$ids", JsonArray(ids));
            var found = new Dictionary<string, string?>(StringComparer.Ordinal);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }

            foreach (var id in ids)
            {
                if (found.Remove(id, out var payload))
                {
                    targets.Add((id, payload));
                }
            }
        }
        else
        {
            command.CommandText = "SELECT id, payload FROM points" + FilterSql.Where(filter, command, indexes);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                targets.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        return targets;
    }

    /// <summary>Sets the payload of each point (re-sequenced, so indexes replay the change).</summary>
    public static void SetPayloads(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<(string Id, string? Payload)> payloads, ref long sequence)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE points SET payload = $payload, seq = $seq WHERE id = $id";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        var payload = command.Parameters.Add("$payload", SqliteType.Text);
        foreach (var (target, json) in payloads)
        {
            id.Value = target;
            seq.Value = ++sequence;
            payload.Value = (object?)json ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>For each text value of <paramref name="pathKey"/> whose points carry a text <paramref name="hashKey"/>: that hash (null when they disagree) and the points' ids.</summary>
    public static Dictionary<string, (string? Hash, List<string> Ids)> Sources(SqliteConnection connection, string pathKey, string hashKey)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, json_extract(payload, $path), json_extract(payload, $hash) FROM points
            WHERE json_type(payload, $path) = 'text' AND json_type(payload, $hash) = 'text'
            """;
        command.Parameters.AddWithValue("$path", PayloadFilter.JsonPath(pathKey));
        command.Parameters.AddWithValue("$hash", PayloadFilter.JsonPath(hashKey));
        var sources = new Dictionary<string, (string? Hash, List<string> Ids)>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var path = reader.GetString(1);
            var hash = reader.GetString(2);
            if (sources.TryGetValue(path, out var source))
            {
                source.Ids.Add(reader.GetString(0));
                if (source.Hash != hash)
                {
                    sources[path] = (null, source.Ids);
                }
            }
            else
            {
                sources[path] = (hash, [reader.GetString(0)]);
            }
        }

        return sources;
    }

    /// <summary>How many points have no text to embed (none, or only white space), and the first <paramref name="limit"/> of their ids.</summary>
    public static (long Count, List<string> Ids) Textless(SqliteConnection connection, int limit)
    {
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

    /// <summary>How many points changed after sequence <paramref name="after"/>.</summary>
    public static long CountChangedAfter(SqliteConnection connection, long after) =>
        (long)CollectionDatabase.Scalar(connection, "SELECT COUNT(*) FROM points WHERE seq > $after", null, ("$after", after))!;

    /// <summary>A JSON array of strings, for <c>json_each</c>.</summary>
    internal static string JsonArray(IEnumerable<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A JSON array of integers, for <c>json_each</c>.</summary>
    internal static string JsonArray(IEnumerable<long> values) =>
        "[" + string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";

    private static Point ReadPoint(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? [] : CollectionDatabase.FromBlob((byte[])reader.GetValue(1)),
        reader.IsDBNull(2) ? null : JsonNode.Parse(reader.GetString(2))!.AsObject(),
        reader.IsDBNull(3) ? null : reader.GetString(3));
}
