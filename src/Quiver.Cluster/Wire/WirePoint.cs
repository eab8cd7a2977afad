using System.Text.Json.Nodes;
using Quiver.Store.Collections;

namespace Quiver.Cluster.Wire;

/// <summary>A point as it travels between silos: the payload as JSON text, which Orleans copies as a plain string.</summary>
[GenerateSerializer, Immutable]
public sealed record WirePoint(
    [property: Id(0)] string Id,
    [property: Id(1)] float[] Vector,
    [property: Id(2)] string? Payload,
    [property: Id(3)] string? Text)
{
    public static WirePoint From(Point point) => new(point.Id, point.Vector, point.Payload?.ToJsonString(), point.Text);

    public Point ToPoint() => new(Id, Vector, Payload is null ? null : JsonNode.Parse(Payload)!.AsObject(), Text);
}
