using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Filtering;
using Quiver.Store.Index;
using Quiver.Store.Index.Quantization;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>
/// A named set of points bound to one embedding space, stored in SQLite. Writes are validated in full before one
/// transaction commits them, so a bad batch stores nothing. Searches are exact, over an in-memory copy of the
/// vectors that replays any change committed since (by this or another process) before it answers.
/// Safe for concurrent use: many readers, one writer at a time (SQLite serialises writers across processes).
/// </summary>
public sealed partial class Collection : IDisposable
{
    /// <summary>Ids longer than this are refused.</summary>
    public const int MaxIdLength = 512;

    private readonly string _connectionString;
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.NoRecursion);
    private readonly ILogger _logger;
    private readonly Dictionary<string, PayloadIndexKind> _payloadIndexes;
    private CollectionIndex? _index;
    private long _snapshotSequence = -1;
    private bool _disposed;

    internal Collection(
        string name,
        string folder,
        EmbeddingSpace space,
        IndexOptions indexOptions,
        IReadOnlyDictionary<string, PayloadIndexKind> payloadIndexes,
        SnapshotBinding binding,
        ILogger? logger)
    {
        _payloadIndexes = new Dictionary<string, PayloadIndexKind>(payloadIndexes, StringComparer.Ordinal);
        Name = name;
        Folder = folder;
        Space = space;
        IndexOptions = indexOptions;
        Binding = binding;
        DatabasePath = Path.Combine(folder, CollectionDatabase.FileName);
        SnapshotPath = Path.Combine(folder, IndexSnapshot.FileName);
        _connectionString = CollectionDatabase.ConnectionString(DatabasePath, create: false);
        _logger = logger ?? NullLogger.Instance;
    }

    public IndexOptions IndexOptions { get; }

    /// <summary>Payload fields with an index, and their value kinds.</summary>
    public IReadOnlyDictionary<string, PayloadIndexKind> PayloadIndexes => _payloadIndexes;

    public string SnapshotPath { get; }

    /// <summary>Changes replayed into the index in one go that make it worth writing a new snapshot.</summary>
    public int SnapshotAfterChanges { get; init; } = 10_000;

    public string Name { get; }

    public string Folder { get; }

    public string DatabasePath { get; }

    public EmbeddingSpace Space { get; }

    public DateTimeOffset CreatedAt => Binding.CreatedAt;

    /// <summary>Ties index snapshots to this collection's database.</summary>
    internal SnapshotBinding Binding { get; }

    public int Dimensions => Space.Dimensions;

    /// <summary>
    /// Inserts or replaces points by id. <paramref name="source"/>, when given, is the space the vectors came from and
    /// must match the collection's. Nothing is written unless every point is valid.
    /// </summary>
    public void Upsert(IReadOnlyList<Point> points, EmbeddingSpace? source = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (source is not null)
        {
            Space.EnsureAccepts(source, $"Collection '{Name}'");
        }

        var rows = new List<(string Id, byte[] Vector, string? Payload, string? Text)>(points.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            ValidateId(point.Id, i);
            if (!seen.Add(point.Id))
            {
                throw new QuiverException($"Point {i}: the id '{point.Id}' appears twice in one batch. Give each point its own id.");
            }

            rows.Add((point.Id, CollectionDatabase.ToBlob(Prepare(point.Vector, $"Point '{point.Id}'")), point.Payload?.ToJsonString(), point.Text));
        }

        using var connection = Connect();
        using var transaction = CollectionDatabase.BeginWrite(connection, Name, Space);
        var sequence = CollectionDatabase.ReadSequence(connection, transaction);
        WriteRows(connection, transaction, rows, ref sequence);
        CollectionDatabase.WriteSequence(connection, transaction, sequence);
        transaction.Commit();
    }

    private static void WriteRows(SqliteConnection connection, SqliteTransaction transaction, List<(string Id, byte[] Vector, string? Payload, string? Text)> rows, ref long sequence)
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

    /// <summary>Deletes points by id; returns how many existed.</summary>
    public int Delete(IReadOnlyList<string> ids)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var transaction = CollectionDatabase.BeginWrite(connection, Name, Space);
        var sequence = CollectionDatabase.ReadSequence(connection, transaction);
        var deleted = 0;
        foreach (var id in ids)
        {
            var removed = Convert.ToInt64(CollectionDatabase.Scalar(
                connection, "DELETE FROM points WHERE id = $id RETURNING 1", transaction, ("$id", id)) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
            if (removed > 0)
            {
                CollectionDatabase.Execute(connection, "INSERT INTO deletions(seq, id) VALUES ($seq, $id)", transaction, ("$seq", ++sequence), ("$id", id));
                deleted++;
            }
        }

        CollectionDatabase.WriteSequence(connection, transaction, sequence);
        transaction.Commit();
        return deleted;
    }

    /// <summary>
    /// Indexes a payload field in SQLite, so filters on it stop scanning every payload. The field should hold one
    /// scalar per point: once indexed, conditions on it compare that scalar (array elements are no longer matched).
    /// </summary>
    public void CreatePayloadIndex(string key, PayloadIndexKind kind)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var expression = FilterSql.IndexedExpression(key);
        var name = "payload_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        using var connection = Connect();
        using var transaction = CollectionDatabase.BeginWrite(connection, Name, Space);
        CollectionDatabase.Execute(connection, $"CREATE INDEX IF NOT EXISTS {name} ON points({expression})", transaction);
        CollectionDatabase.Execute(
            connection, "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", transaction,
            ("$k", CollectionDatabase.PayloadIndexPrefix + key), ("$v", kind.ToString()));
        transaction.Commit();
        _payloadIndexes[key] = kind;

        // A loaded index gets the new column now; an unloaded one builds all its columns when it loads.
        _gate.EnterWriteLock();
        try
        {
            if (_index is not null && !_index.Columns.Fields.Contains(key))
            {
                using var reading = connection.BeginTransaction(deferred: true);
                LoadColumns(connection, reading, [new KeyValuePair<string, PayloadIndexKind>(key, kind)]);
                reading.Commit();
            }
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    // A connection to this version's database. A handle that outlived its database (the collection was deleted, or
    // re-embedded and the old version removed once no reader had it open) gets told so, not SQLite's "unable to open".
    private SqliteConnection Connect()
    {
        try
        {
            return CollectionDatabase.Open(_connectionString);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 14 && !File.Exists(DatabasePath))
        {
            throw new QuiverException(
                $"Collection '{Name}': its database {DatabasePath} is gone; the collection was deleted, or re-embedded into a new version after this " +
                "handle was opened. Open the collection again.", e);
        }
    }

    /// <summary>SQLite's plan for the filter query (to check that a payload index is used).</summary>
    internal string ExplainFilter(PayloadFilter filter)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM points" + FilterSql.Where(filter, command, PayloadIndexes);
        using var reader = command.ExecuteReader();
        var plan = new StringBuilder();
        while (reader.Read())
        {
            plan.AppendLine(reader.GetString(3));
        }

        return plan.ToString();
    }

    /// <summary>The ids of the points whose payload matches <paramref name="filter"/>.</summary>
    public IReadOnlyList<string> Ids(PayloadFilter filter)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM points" + FilterSql.Where(filter, command, PayloadIndexes) + " ORDER BY id";
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public Point? Get(string id)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT vector, payload, text FROM points WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new Point(
            id,
            CollectionDatabase.FromBlob((byte[])reader.GetValue(0)),
            reader.IsDBNull(1) ? null : JsonNode.Parse(reader.GetString(1))!.AsObject(),
            reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    public long Count(PayloadFilter? filter = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM points" + FilterSql.Where(filter, command, PayloadIndexes);
        return (long)command.ExecuteScalar()!;
    }

    public CollectionInfo Info()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        var count = (long)CollectionDatabase.Scalar(connection, "SELECT COUNT(*) FROM points")!;
        var sequence = CollectionDatabase.ReadSequence(connection, null);
        var bytes = new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);
        return new CollectionInfo(Name, Space, count, sequence, bytes, CreatedAt, Folder);
    }

    /// <summary>
    /// The <paramref name="k"/> points closest to <paramref name="query"/> that match <paramref name="filter"/>, best
    /// first, with payload and text.
    /// </summary>
    /// <param name="ef">The HNSW candidate-list size for this query (higher: better recall, slower); the collection's default when null.</param>
    /// <param name="exact">Scan every stored vector (the filter still applies) with full-precision scores instead of walking the graph or quantised codes: the true top k, slower on large collections.</param>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k, PayloadFilter? filter = null, EmbeddingSpace? source = null, int? ef = null, bool exact = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (k <= 0)
        {
            throw new QuiverException($"The number of results is {k}; it must be at least 1.");
        }

        if (source is not null)
        {
            Space.EnsureAccepts(source, $"Search in collection '{Name}'");
        }

        if (query.Length != Dimensions)
        {
            throw new InvalidVectorException(
                $"The query has {query.Length} dimensions but collection '{Name}' holds {Dimensions}-dimensional vectors from {Space}. Embed the query with that model.");
        }

        VectorMath.CheckFinite(query, "query");
        if (Space.Metric == DistanceMetric.Cosine && TensorPrimitives.Norm(query) == 0)
        {
            throw new InvalidVectorException("The query is a zero vector, which has no direction to compare by cosine. Check the text or vector it came from.");
        }

        using var connection = Connect();

        // One read transaction: the replay, the filter and the payloads all see the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        Refresh(connection, transaction);
        List<(string Id, float Score)> hits;
        _gate.EnterReadLock();
        try
        {
            var index = _index!;
            var allowed = filter is null
                ? null
                : index.Columns.TryMatch(filter, index.Graph.Count, node => !index.Graph.IsDeleted(node)) ?? MatchingNodes(connection, transaction, filter, index);
            hits = index.Search(PrepareQuery(query), k, ef, allowed, exact);
        }
        finally
        {
            _gate.ExitReadLock();
        }

        var results = new List<SearchHit>(hits.Count);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT payload, text FROM points WHERE id = $id";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        foreach (var (hitId, score) in hits)
        {
            id.Value = hitId;
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                // Another thread moved the shared index past this transaction's snapshot; the point is newer than it.
                continue;
            }

            results.Add(new SearchHit(
                hitId,
                score,
                reader.IsDBNull(0) ? null : JsonNode.Parse(reader.GetString(0))!.AsObject(),
                reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        transaction.Commit();
        return results;
    }

    /// <summary>Brings the index up to date with SQLite and writes an index snapshot, so the next open replays nothing.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: true);
        Refresh(connection, transaction);
        transaction.Commit();
        _gate.EnterWriteLock();
        try
        {
            if (_index!.Sequence != _snapshotSequence)
            {
                IndexSnapshot.Write(SnapshotPath, _index, Binding);
                _snapshotSequence = _index.Sequence;
            }
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    /// <summary>The state of the in-memory index and its snapshot, for <c>quiver inspect</c>.</summary>
    public IndexState InspectIndex()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: true);
        var databaseSequence = CollectionDatabase.ReadSequence(connection, transaction);
        Refresh(connection, transaction);
        transaction.Commit();
        _gate.EnterReadLock();
        try
        {
            var index = _index!;
            var graph = index.Graph;
            var snapshot = new FileInfo(SnapshotPath);
            var memory = graph.MemoryBytes + (index.Codes?.MemoryBytes ?? 0);
            return new IndexState(
                IndexOptions.Kind,
                index.Count,
                graph.Count,
                graph.DeletedCount,
                graph.LinkedCount,
                index.GraphReady,
                graph.MaxLevel,
                memory,
                index.Count == 0 ? 0 : memory / (double)index.Count,
                index.Sequence,
                databaseSequence,
                snapshot.Exists ? snapshot.Length : 0,
                _snapshotSequence,
                index.Codes?.Kind ?? QuantizationKind.None,
                index.Codes?.BytesPerVector ?? 0);
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _gate.Dispose();
        }
    }

    // Loads the index on first use (from its snapshot, else by rebuilding from SQLite), then replays every change
    // committed after the index's sequence number, in order.
    private void Refresh(SqliteConnection connection, SqliteTransaction transaction)
    {
        var latest = CollectionDatabase.ReadSequence(connection, transaction);
        if (_index is not null && _index.Sequence == latest)
        {
            return;
        }

        _gate.EnterWriteLock();
        try
        {
            if (_index is null)
            {
                Load(latest);
                LoadColumns(connection, transaction, _payloadIndexes);
            }

            var applied = CatchUp(connection, transaction, _index!, latest);
            _index!.Settle();
            if (applied >= SnapshotAfterChanges && _index.GraphReady)
            {
                IndexSnapshot.Write(SnapshotPath, _index, Binding);
                _snapshotSequence = _index.Sequence;
            }
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    private void Load(long databaseSequence)
    {
        var (loaded, problem) = IndexSnapshot.TryRead(SnapshotPath, Binding, Dimensions, Space.Metric, IndexOptions);
        if (loaded is not null && loaded.Sequence > databaseSequence)
        {
            problem = $"the index snapshot covers sequence {loaded.Sequence}, beyond the database's {databaseSequence} (it belongs to another copy)";
            loaded = null;
        }

        if (loaded is null)
        {
            // A snapshot file that cannot be used is damage (or someone else's file); no snapshot yet is the normal state
            // of a collection that has not been flushed or grown much since it was created.
            if (File.Exists(SnapshotPath))
            {
                _logger.LogWarning("Collection {Collection}: {Problem}; rebuilding the index from {Database}.", Name, problem, DatabasePath);
            }
            else if (databaseSequence > 0)
            {
                _logger.LogInformation("Collection {Collection}: {Problem} yet; building the index from {Database}.", Name, problem, DatabasePath);
            }

            _index = new CollectionIndex(Dimensions, Space.Metric, IndexOptions);
            _snapshotSequence = -1;
            return;
        }

        _index = loaded;
        _snapshotSequence = loaded.Sequence;
    }

    // Gives the index a column for each payload index and fills it from SQLite for the nodes it already holds.
    private void LoadColumns(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<KeyValuePair<string, PayloadIndexKind>> fields)
    {
        var index = _index!;
        foreach (var (field, kind) in fields)
        {
            index.Columns.AddField(field, kind, index.Graph.Count);
            if (index.Count == 0)
            {
                continue;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT id, {FilterSql.IndexedExpression(field)} FROM points";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (index.TryGetNode(reader.GetString(0), out var node))
                {
                    index.Columns.Set(field, node, reader.IsDBNull(1) ? null : reader.GetValue(1));
                }
            }
        }
    }

    private static int CatchUp(SqliteConnection connection, SqliteTransaction transaction, CollectionIndex index, long latest)
    {
        var fields = index.Columns.Fields.ToList();
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
        command.Parameters.AddWithValue("$after", index.Sequence);
        var applied = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetString(1);
            if (reader.IsDBNull(2))
            {
                index.Delete(id);
            }
            else
            {
                index.Upsert(id, MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(2)));
                index.Columns.Append(field =>
                {
                    var ordinal = 3 + fields.IndexOf(field);
                    return reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal);
                });
            }

            applied++;
        }

        index.Sequence = latest;
        return applied;
    }

    private NodeSet MatchingNodes(SqliteConnection connection, SqliteTransaction transaction, PayloadFilter filter, CollectionIndex index)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM points" + FilterSql.Where(filter, command, PayloadIndexes);
        var nodes = new NodeSet(index.Graph.Count);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (index.TryGetNode(reader.GetString(0), out var node))
            {
                nodes.Add(node);
            }
        }

        return nodes;
    }

    private float[] PrepareQuery(ReadOnlySpan<float> query)
    {
        var q = query.ToArray();
        if (Space.Metric == DistanceMetric.Cosine)
        {
            VectorMath.Normalize(q);
        }

        return q;
    }

    private float[] Prepare(float[] vector, string what)
    {
        if (vector is null || vector.Length != Dimensions)
        {
            throw new InvalidVectorException(
                $"{what}: the vector has {vector?.Length ?? 0} dimensions but collection '{Name}' holds {Dimensions}-dimensional vectors from {Space}.");
        }

        VectorMath.CheckFinite(vector, $"vector of {what.ToLowerInvariant()}");
        if (Space.Metric != DistanceMetric.Cosine)
        {
            return vector;
        }

        // Cosine collections store unit vectors, so a search is a dot product.
        var unit = new float[vector.Length];
        try
        {
            VectorMath.Normalize(vector, unit);
        }
        catch (InvalidVectorException e)
        {
            throw new InvalidVectorException($"{what}: {e.Message}", e);
        }

        return unit;
    }

    private static void ValidateId(string id, int position)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new QuiverException($"Point {position} has an empty id. Every point needs a non-empty id.");
        }

        if (id.Length > MaxIdLength)
        {
            throw new QuiverException($"Point {position}: the id is {id.Length} characters long; the limit is {MaxIdLength}.");
        }
    }
}
