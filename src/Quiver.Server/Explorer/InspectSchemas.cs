using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Collections;
using Quiver.Server.Operations;

namespace Quiver.Server.Explorer;

// The wire shapes of Quiver's inspect route (one point and its neighbours, by any stored id): the OpenAPI document
// shows them, and requests are read into them (RequestBody; the id by InspectIdReader).

[Description("Quiver's inspect request: one point by id, with its nearest neighbours.")]
internal sealed class InspectRequest
{
    [JsonPropertyName("id")]
    [Description("An unsigned integer, a UUID, or any stored id string (quiver index names chunks \"path#n\").")]
    public required InspectId Id { get; init; }

    [JsonPropertyName("limit")]
    [Range(0, int.MaxValue)]
    [Description("Nearest neighbours to list (10 when absent; 0 for none).")]
    public int? Limit { get; init; }
}

[Union(typeof(ulong), typeof(string))]
[Description("A point id: an unsigned integer, or a string (a UUID or any stored id).")]
internal sealed class InspectId
{
    /// <summary>The id as Quiver stores it (<see cref="InspectIdReader"/>).</summary>
    [JsonIgnore]
    public string Value { get; init; } = "";

    /// <summary>The id as the request wrote it, for the answer that quotes it.</summary>
    [JsonIgnore]
    public string Shown { get; init; } = "";
}

internal sealed class InspectedPoint
{
    [JsonPropertyName("id")]
    public required InspectId Id { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    [JsonPropertyName("payload")]
    public JsonObject? Payload { get; init; }

    [JsonPropertyName("neighbours")]
    [Description("The nearest other points, nearest first.")]
    public required InspectedNeighbour[] Neighbours { get; init; }
}

internal sealed class InspectedNeighbour
{
    [JsonPropertyName("id")]
    public required InspectId Id { get; init; }

    [JsonPropertyName("score")]
    public required float Score { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    [JsonPropertyName("payload")]
    public JsonObject? Payload { get; init; }
}
