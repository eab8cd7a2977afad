using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>What a folder index needs to re-index incrementally: which files the collection holds, by content hash.</summary>
public sealed partial class Collection
{
    /// <summary>For each payload "path" whose points carry a "hash": that hash (null when its chunks disagree) and the points' ids.</summary>
    internal Dictionary<string, (string? Hash, List<string> Ids)> Sources()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, json_extract(payload, '$.path'), json_extract(payload, '$.hash') FROM points
            WHERE json_type(payload, '$.path') = 'text' AND json_type(payload, '$.hash') = 'text'
            """;
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
}
