using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Quiver.Server.Collections;

// The wire shapes of Qdrant's snapshot routes: the OpenAPI document shows them and JSON requests are read into them
// (RequestBody). Answers are written by hand (SnapshotsEndpoints) to keep Qdrant's exact shapes.

[Description("No fields: the route takes an empty body (or none).")]
internal sealed class EmptyRequest;

[Description("Qdrant's snapshot description.")]
internal sealed class SnapshotDescription
{
    [JsonPropertyName("name")]
    [Description("The file name, NAME-yyyy-MM-dd-HH-mm-ss.snapshot.")]
    public required string Name { get; init; }

    [JsonPropertyName("creation_time")]
    [Description("When it was made (UTC, yyyy-MM-ddTHH:mm:ss).")]
    public required string? CreationTime { get; init; }

    [JsonPropertyName("size")]
    [Description("Bytes.")]
    public required long Size { get; init; }

    [JsonPropertyName("checksum")]
    [Description("SHA-256 of the whole file (hex).")]
    public required string? Checksum { get; init; }
}

[Description("Qdrant's recover request: restores the collection from a snapshot file on the server, replacing it when it exists (creating it when not) once the file has been verified.")]
internal sealed class SnapshotRecoverRequest
{
    [JsonPropertyName("location")]
    [Description("An absolute path or file:// URL on the server, or the name of one of this collection's snapshots. http(s) URLs are refused: upload the file instead.")]
    public required string Location { get; init; }

    [JsonPropertyName("checksum")]
    [Description("The SHA-256 the file must have (64 hex digits).")]
    public string? Checksum { get; init; }

    [JsonPropertyName("priority")]
    [Description("no_sync, snapshot or replica: accepted for Qdrant's clients; a single server has one copy.")]
    public string? Priority { get; init; }
}

[Description("A snapshot file, as the multipart form field \"snapshot\" (or the whole body, as application/octet-stream). Query: checksum (SHA-256 the file must have), priority.")]
internal sealed class SnapshotUpload
{
    [JsonPropertyName("snapshot")]
    [Description("The snapshot file's bytes.")]
    public required byte[] Snapshot { get; init; }
}

[Description("The snapshot file (a tar archive: manifest.json, collection.db, index.qhns).")]
internal sealed class SnapshotFileBytes
{
    [JsonPropertyName("file")]
    public required byte[] File { get; init; }
}
