using Quiver.Store.Filtering;
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
        using var connection = Connect();
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
}
