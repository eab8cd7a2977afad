using System.Text.Json.Nodes;
using Quiver.Store.Collections;

namespace Quiver.Cluster.Wire;

/// <summary>A search hit between silos.</summary>
[GenerateSerializer, Immutable]
public sealed record WireHit(
    [property: Id(0)] string Id,
    [property: Id(1)] float Score,
    [property: Id(2)] string? Payload,
    [property: Id(3)] string? Text)
{
    public static WireHit From(SearchHit hit) => new(hit.Id, hit.Score, hit.Payload?.ToJsonString(), hit.Text);

    public SearchHit ToHit() => new(Id, Score, Payload is null ? null : JsonNode.Parse(Payload)!.AsObject(), Text);
}
