using Quiver.Cluster.Wire;

namespace Quiver.Cluster.Replication;

/// <summary>
/// One write of one shard, numbered by its primary: upsert whole points, delete ids, or edit the payload of ids. Each
/// is idempotent per id (applying an operation twice, or again after later ones are replayed, ends in the same
/// state), which is what lets a replica re-apply its last logged operation after a crash and a copy be replayed
/// forward. A delete or edit by filter is logged with the ids the filter matched on the primary when it was numbered,
/// never with the filter, so every replica changes the same points.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardOperation(
    [property: Id(0)] long Number,
    [property: Id(1)] long Epoch,
    [property: Id(2)] WirePoint[]? Upserts,
    [property: Id(3)] string[]? Deletes,
    [property: Id(4)] PayloadEdit? Edit = null);
