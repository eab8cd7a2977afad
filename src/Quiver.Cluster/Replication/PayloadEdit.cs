namespace Quiver.Cluster.Replication;

/// <summary>
/// A logged payload edit: the ids it applies to (resolved on the primary) and the change. Applying it again ends in
/// the same payloads (setting, overwriting, deleting or clearing keys twice is the same as once); ids a replica does
/// not hold are skipped, as the primary skipped them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PayloadEdit([property: Id(0)] string[] Ids, [property: Id(1)] PayloadChange Change);
