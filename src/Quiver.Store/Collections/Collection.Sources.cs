using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>What a folder index needs to re-index incrementally: which files the collection holds, by content hash.</summary>
public sealed partial class Collection
{
    /// <summary>For each payload "path" whose points carry a "hash": that hash (null when its chunks disagree) and the points' ids.</summary>
    internal Dictionary<string, (string? Hash, List<string> Ids)> Sources()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return PointTable.Sources(connection);
    }
}
