namespace Quiver.Cluster.Grains;

/// <summary>A shard's replicas, which one is primary, and the primary's epoch (raised at every failover).</summary>
[GenerateSerializer, Immutable]
public sealed record ShardLayout([property: Id(0)] ReplicaLayout[] Replicas, [property: Id(1)] int Primary, [property: Id(2)] long Epoch)
{
    public ReplicaLayout PrimaryReplica => Replicas[Primary];

    public IEnumerable<ReplicaLayout> Live => Replicas.Where(r => r.State == ReplicaState.Live);
}
