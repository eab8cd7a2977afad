namespace Quiver.Cluster.Placement;

/// <summary>
/// Places a grain on the silo named after the last '@' of its key, and nowhere else: a shard replica owns files on
/// that silo's disk, so activating it anywhere else would serve an empty collection.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloPinnedPlacement : Orleans.Runtime.PlacementStrategy
{
    internal static SiloPinnedPlacement Instance { get; } = new();

    /// <summary>The silo name in a pinned grain's key.</summary>
    public static string SiloOf(string key)
    {
        var at = key.LastIndexOf('@');
        return at < 0 ? throw new ArgumentException($"The grain key '{key}' names no silo (expected '...@silo').", nameof(key)) : key[(at + 1)..];
    }
}
