namespace Quiver.Store.Snapshots;

/// <summary>How far a snapshot or restore has come: its stage ("database", "checksums", "archive", "verify"), and bytes done of the stage's total.</summary>
public readonly record struct SnapshotProgress(string Stage, long Bytes, long TotalBytes);
