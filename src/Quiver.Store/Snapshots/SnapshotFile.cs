namespace Quiver.Store.Snapshots;

/// <summary>What <see cref="Collections.Collection.WriteSnapshot"/> wrote: the file, its size and SHA-256, and the collection's state in it.</summary>
public sealed record SnapshotFile(string Path, long Size, string Checksum, long Points, long Sequence);
