namespace Quiver.Cluster;

/// <summary>
/// How one silo process joins a Quiver cluster: its name (stable across restarts: replicas are pinned to it), its
/// silo and gateway ports on <see cref="Address"/>, the Redis server holding the membership table, and the folder its
/// shard replicas live in. With no Redis server the silos find each other through Orleans's development membership,
/// which lives in the silo at <see cref="PrimarySiloPort"/> (its own port when null): for one machine and tests only,
/// since the cluster cannot outlive that silo.
/// </summary>
public sealed record ClusterHostOptions(
    string SiloName,
    int SiloPort,
    int GatewayPort,
    string? Redis,
    string DataRoot,
    string ClusterId = "quiver",
    string Address = "127.0.0.1",
    int? PrimarySiloPort = null);
