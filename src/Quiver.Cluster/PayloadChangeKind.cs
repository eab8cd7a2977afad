namespace Quiver.Cluster;

/// <summary>The kinds of payload edit Qdrant's payload routes make.</summary>
public enum PayloadChangeKind
{
    /// <summary>Set the given keys, keeping the others (POST /points/payload).</summary>
    Set,

    /// <summary>Replace the whole payload (PUT /points/payload).</summary>
    Overwrite,

    /// <summary>Remove the given keys (POST /points/payload/delete).</summary>
    DeleteKeys,

    /// <summary>Remove the whole payload (POST /points/payload/clear).</summary>
    Clear,
}
