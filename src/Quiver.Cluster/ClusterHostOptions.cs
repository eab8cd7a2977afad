namespace Quiver.Cluster;

/// <summary>
/// How one silo process joins a Quiver cluster: its name (stable across restarts: replicas are pinned to it), its
/// silo and gateway ports on <see cref="Address"/>, the Redis server holding the membership table, and the folder its
/// shard replicas live in.
/// </summary>
public sealed record ClusterHostOptions(
    string SiloName,
    int SiloPort,
    int GatewayPort,
    string Redis,
    string DataRoot,
    string ClusterId = "quiver",
    string Address = "127.0.0.1");
