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
        using var owned = transaction is null ? _storage.Open() : null;
        return ChangeLog.After(transaction?.Connection ?? owned!, transaction, after, limit);
    }

    /// <summary>How many points changed after <paramref name="after"/> (the work left to a re-embedding).</summary>
    internal long CountChangedAfter(long after)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return PointTable.CountChangedAfter(connection, after);
    }

    /// <summary>How many points have no text to embed (none, or only white space), and the first <paramref name="limit"/> of their ids.</summary>
    internal (long Count, List<string> Ids) Textless(int limit)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return PointTable.Textless(connection, limit);
    }

    /// <summary>
    /// Takes this collection's write lock (other writers, in any process, wait) for the end of a re-embedding: the
    /// last changes are read under it, then <see cref="Retire"/> marks the database replaced and lets go.
    /// </summary>
    internal SqliteTransaction LockWrites()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = _storage.Open();
        try
        {
            return _storage.BeginWrite(connection);
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
        CollectionDatabase.WriteMeta(connection, writes, CollectionDatabase.SupersededByKey, version);
        CollectionDatabase.WriteMeta(connection, writes, CollectionDatabase.SupersededAtKey, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        writes.Commit();
    }

    /// <summary>For each id this collection holds: its text and vector (what a re-embedding reuses when only the payload changed).</summary>
    internal Dictionary<string, (string? Text, float[] Vector)> TextsAndVectors(IEnumerable<string> ids)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var found = PointTable.TextsAndVectors(connection, transaction, ids);
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
        var rows = points.Select(p => new PointRow(p.Id, CollectionDatabase.ToBlob(Prepare(p.Vector, $"Point '{p.Id}'")), p.Payload?.ToJsonString(), p.Text)).ToList();
        using var connection = _storage.Open();
        using var transaction = _storage.BeginWrite(connection);
        var sequence = ChangeLog.ReadSequence(connection, transaction);
        PointTable.Upsert(connection, transaction, rows, ref sequence);
        PointTable.Delete(connection, transaction, deletions, ref sequence);
        ChangeLog.WriteSequence(connection, transaction, sequence);
        CollectionDatabase.WriteMeta(connection, transaction, ReembedCheckpointKey, checkpoint.ToString(CultureInfo.InvariantCulture));
        transaction.Commit();
    }

    /// <summary>A meta value of this database (null when absent).</summary>
    internal string? ReadMeta(string key)
    {
        using var connection = _storage.Open();
        return CollectionDatabase.ReadMeta(connection, null, key);
    }

    internal void WriteMeta(string key, string value)
    {
        using var connection = _storage.Open();
        using var transaction = _storage.BeginWrite(connection);
        CollectionDatabase.WriteMeta(connection, transaction, key, value);
        transaction.Commit();
    }

    /// <summary>A change's payload as JSON (null when it has none).</summary>
    internal static JsonObject? ParsePayload(string? payload) => payload is null ? null : JsonNode.Parse(payload)!.AsObject();
}
