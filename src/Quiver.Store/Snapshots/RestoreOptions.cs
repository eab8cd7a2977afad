namespace Quiver.Store.Snapshots;

/// <summary>How <see cref="Collections.CollectionStore.Restore"/> places a snapshot.</summary>
/// <param name="Name">The collection to restore into; null for the name recorded in the snapshot.</param>
/// <param name="Replace">Replace a collection of that name (swapped whole once the snapshot has been verified); otherwise an existing one is an error.</param>
/// <param name="Checksum">The SHA-256 the whole file must have (hex), when the caller knows it.</param>
public sealed record RestoreOptions(string? Name = null, bool Replace = false, string? Checksum = null);
