namespace Quiver.Store.Index;

/// <summary>How a collection finds nearest neighbours.</summary>
public enum IndexKind
{
    /// <summary>Exact search: every query scans all vectors.</summary>
    Flat,

    /// <summary>An HNSW graph once the collection passes <see cref="IndexOptions.ExactThreshold"/> points; exact below it.</summary>
    Hnsw,
}
