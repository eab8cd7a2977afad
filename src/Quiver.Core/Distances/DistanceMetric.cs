namespace Quiver.Core.Distances;

/// <summary>How two vectors of a collection are compared.</summary>
public enum DistanceMetric
{
    /// <summary>Cosine similarity in [-1, 1]; higher is closer.</summary>
    Cosine,

    /// <summary>Dot product; higher is closer.</summary>
    Dot,

    /// <summary>Euclidean (L2) distance; lower is closer.</summary>
    Euclidean,
}
