namespace Quiver.Store.Snapshots;

/// <summary>A snapshot file: its name, when it was made, its size and the SHA-256 of the whole file (null when unknown).</summary>
public sealed record SnapshotInfo(string Name, string Path, DateTimeOffset CreatedAt, long Size, string? Checksum);
