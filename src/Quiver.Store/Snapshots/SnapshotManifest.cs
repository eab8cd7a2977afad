using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Quiver.Store.Snapshots;

/// <summary>
/// manifest.json, the last entry of a snapshot: what it holds (the collection's name, points and sequence number),
/// and each file's size and SHA-256, which a restore checks before anything is put in place.
/// </summary>
internal sealed record SnapshotManifest(string Collection, DateTimeOffset CreatedAt, long Points, long Sequence, IReadOnlyList<SnapshotManifest.Entry> Files)
{
    public const string EntryName = "manifest.json";
    public const string FormatName = "quiver-collection-snapshot";
    public const int Version = 1;

    /// <summary>A manifest larger than this is not one of ours (it lists two files).</summary>
    public const int MaxBytes = 64 << 10;

    public byte[] ToBytes()
    {
        var files = new JsonArray();
        foreach (var file in Files)
        {
            files.Add(new JsonObject { ["name"] = file.Name, ["bytes"] = file.Bytes, ["sha256"] = file.Sha256 });
        }

        var document = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = Version,
            ["collection"] = Collection,
            ["created_at"] = CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["points"] = Points,
            ["sequence"] = Sequence,
            ["files"] = files,
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Parses a manifest, or says what is wrong with it.</summary>
    public static SnapshotManifest Parse(ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            var document = JsonNode.Parse(bytes)?.AsObject() ?? throw new JsonException("it holds null");
            if (document["format"]?.GetValue<string>() != FormatName)
            {
                throw new InvalidSnapshotException(path, $"its manifest is not a Quiver collection snapshot's (format '{document["format"]}')");
            }

            var version = document["version"]?.GetValue<int>() ?? 0;
            if (version > Version)
            {
                throw new InvalidSnapshotException(path, $"it was written by a newer Quiver (snapshot version {version}; this one reads {Version}); upgrade Quiver to restore it");
            }

            var files = Field(document, "files").AsArray()
                .Select(f => new Entry(Field(f, "name").GetValue<string>(), Field(f, "bytes").GetValue<long>(), Field(f, "sha256").GetValue<string>()))
                .ToList();
            return new SnapshotManifest(
                Field(document, "collection").GetValue<string>(),
                DateTimeOffset.Parse(Field(document, "created_at").GetValue<string>(), CultureInfo.InvariantCulture),
                Field(document, "points").GetValue<long>(),
                Field(document, "sequence").GetValue<long>(),
                files);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidSnapshotException(path, $"its manifest is damaged ({e.Message})", e);
        }
    }

    private static JsonNode Field(JsonNode? node, string key) =>
        node?[key] ?? throw new JsonException($"'{key}' is missing");

    internal sealed record Entry(string Name, long Bytes, string Sha256);
}
