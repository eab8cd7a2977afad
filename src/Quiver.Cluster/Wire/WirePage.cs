namespace Quiver.Cluster.Wire;

/// <summary>A page of points in id order and the id the next page starts at.</summary>
[GenerateSerializer, Immutable]
public sealed record WirePage([property: Id(0)] WirePoint[] Points, [property: Id(1)] string? NextOffset);
