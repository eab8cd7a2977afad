using Quiver.Cluster.Grains;

namespace Quiver.Cluster;

/// <summary>One replica as <see cref="DistributedCollection.InspectAsync"/> sees it: where it is, whether it serves, and how many operations it lags its primary by.</summary>
public sealed record ReplicaStatus(int Shard, int Replica, string Silo, ReplicaState State, bool Primary, long? Operation, long? Lag);
