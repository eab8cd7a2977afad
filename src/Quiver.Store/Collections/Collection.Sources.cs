using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>What a folder index needs to re-index incrementally: which files the collection holds, by content hash.</summary>
public sealed partial class Collection
{
    /// <summary>
    /// For each value of the text payload field <paramref name="pathKey"/> whose points also carry a text field
    /// <paramref name="hashKey"/>: that hash (null when its points disagree) and the points' ids. A folder index names
    /// its own fields, so the store knows no document layout.
    /// </summary>
    public Dictionary<string, (string? Hash, List<string> Ids)> Sources(string pathKey, string hashKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        return PointTable.Sources(connection, pathKey, hashKey);
    }
}
