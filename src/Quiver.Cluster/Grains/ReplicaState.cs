namespace Quiver.Cluster.Grains;

/// <summary>Whether a replica serves reads and takes writes.</summary>
public enum ReplicaState
{
    /// <summary>Level with its primary: in the write set and serving reads.</summary>
    Live,

    /// <summary>Missed writes (its silo was down or a write to it failed): neither, until it has caught up.</summary>
    Lagging,
}
