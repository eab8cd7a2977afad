namespace Quiver.Store.Snapshots;

/// <summary>What a restore made: the collection's name, its points and sequence number, and whether it replaced one.</summary>
public sealed record RestoredCollection(string Name, long Points, long Sequence, bool Replaced, long Bytes);
