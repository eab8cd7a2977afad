using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Store.Filtering;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

// Reading points in pages and editing payloads in place: what a Qdrant-style API needs beyond upsert and search.
public sealed partial class Collection
{
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

        using var connection = _storage.Open();
        return PointTable.Scroll(connection, limit, offset, filter, PayloadIndexes, withVectors);
    }

    /// <summary>The sequence number of the last committed change (what an acknowledged write's operation id is).</summary>
    public long Sequence()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return ChangeLog.ReadSequence(connection, null);
    }

    /// <summary>The points with these ids that exist, in the order asked (each once), read in one statement.</summary>
    public IReadOnlyList<Point> Get(IReadOnlyList<string> ids, bool withVectors = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return PointTable.Get(connection, null, ids, withVectors);
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
        using var connection = _storage.Open();
        using var transaction = _storage.BeginWrite(connection);
        var targets = PointTable.Payloads(connection, transaction, ids, filter, PayloadIndexes);
        var sequence = ChangeLog.ReadSequence(connection, transaction);
        if (edit is null)
        {
            PointTable.Delete(connection, transaction, targets.Select(t => t.Id), ref sequence);
        }
        else
        {
            PointTable.SetPayloads(connection, transaction, targets.Select(t => (t.Id, edit(ParsePayload(t.Payload))?.ToJsonString())), ref sequence);
        }

        ChangeLog.WriteSequence(connection, transaction, sequence);
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
        using var connection = _storage.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        foreach (var point in PointTable.ReadAll(connection, transaction, filter, PayloadIndexes))
        {
            yield return point;
        }
    }
}
