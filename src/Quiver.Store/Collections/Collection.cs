using System.Runtime.InteropServices;
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
/// A named set of points bound to one embedding space, stored in SQLite (the truth; every statement lives in
/// <c>Storage/</c>). This type validates, locks and keeps the in-memory index in step: writes are validated in full
/// before one transaction commits them, so a bad batch stores nothing; searches run on the index (an HNSW graph, or
/// an exact scan while the collection is small, filtered or asked to be exact, as <see cref="Hybrid.SearchPlan"/>
/// decides), which first replays any change committed since (by this or another process), and read their hits back
/// from SQLite in one statement. Safe for concurrent use: many readers, one writer at a time (SQLite serialises
/// writers across processes).
/// </summary>
public sealed partial class Collection : IDisposable
{
    /// <summary>Ids longer than this are refused.</summary>
    public const int MaxIdLength = 512;

    private readonly CollectionStorage _storage;
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
        _storage = new CollectionStorage(name, DatabasePath, space);
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

        var rows = new List<PointRow>(points.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            ValidateId(point.Id, i);
            if (!seen.Add(point.Id))
            {
                throw new QuiverException($"Point {i}: the id '{point.Id}' appears twice in one batch. Give each point its own id.");
            }

            rows.Add(new PointRow(point.Id, CollectionDatabase.ToBlob(Prepare(point.Vector, $"Point '{point.Id}'")), point.Payload?.ToJsonString(), point.Text));
        }

        using var connection = _storage.Open();
        using var transaction = _storage.BeginWrite(connection);
        var sequence = ChangeLog.ReadSequence(connection, transaction);
        PointTable.Upsert(connection, transaction, rows, ref sequence);
        ChangeLog.WriteSequence(connection, transaction, sequence);
        transaction.Commit();
    }

    /// <summary>Deletes points by id; returns how many existed.</summary>
    public int Delete(IReadOnlyList<string> ids)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        using var transaction = _storage.BeginWrite(connection);
        var sequence = ChangeLog.ReadSequence(connection, transaction);
        var deleted = PointTable.Delete(connection, transaction, ids, ref sequence);
        ChangeLog.WriteSequence(connection, transaction, sequence);
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
        using var connection = _storage.Open();
        using var transaction = _storage.BeginWrite(connection);
        PointTable.CreatePayloadIndex(connection, transaction, key);
        CollectionDatabase.WriteMeta(connection, transaction, CollectionDatabase.PayloadIndexPrefix + key, kind.ToString());
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

    /// <summary>SQLite's plan for the filter query (to check that a payload index is used).</summary>
    internal string ExplainFilter(PayloadFilter filter)
    {
        using var connection = _storage.Open();
        return PointTable.ExplainFilter(connection, filter, PayloadIndexes);
    }

    /// <summary>The ids of the points whose payload matches <paramref name="filter"/>.</summary>
    public IReadOnlyList<string> Ids(PayloadFilter filter)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return PointTable.Ids(connection, null, filter, PayloadIndexes, ordered: true).ToList();
    }

    public Point? Get(string id)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return PointTable.Get(connection, null, [id], withVectors: true) is [var point] ? point : null;
    }

    public long Count(PayloadFilter? filter = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return PointTable.Count(connection, null, filter, PayloadIndexes);
    }

    public CollectionInfo Info()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        var count = PointTable.Count(connection);
        var sequence = ChangeLog.ReadSequence(connection, null);
        var bytes = new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);
        return new CollectionInfo(Name, Space, count, sequence, bytes, CreatedAt, Folder);
    }

    /// <summary>Brings the index up to date with SQLite and writes an index snapshot, so the next open replays nothing.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
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
        using var connection = _storage.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var databaseSequence = ChangeLog.ReadSequence(connection, transaction);
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
        var latest = ChangeLog.ReadSequence(connection, transaction);
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

            foreach (var (id, value) in PointTable.IndexedValues(connection, transaction, field))
            {
                if (index.TryGetNode(id, out var node))
                {
                    index.Columns.Set(field, node, value);
                }
            }
        }
    }

    private static int CatchUp(SqliteConnection connection, SqliteTransaction transaction, CollectionIndex index, long latest)
    {
        var fields = index.Columns.Fields.ToList();
        var applied = 0;
        foreach (var (id, vector, values) in ChangeLog.Replay(connection, transaction, index.Sequence, fields))
        {
            if (vector is null)
            {
                index.Delete(id);
            }
            else
            {
                index.Upsert(id, MemoryMarshal.Cast<byte, float>(vector));
                index.Columns.Append(field => values[fields.IndexOf(field)]);
            }

            applied++;
        }

        index.Sequence = latest;
        return applied;
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
