using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Collections;

namespace Quiver.Server.Explorer;

// The wire shapes of Quiver's outliers route (outlier scores for the explorer).

[Description("Quiver's outliers request: each point's outlier score over the collection (or the projection route's seeded sample).")]
internal sealed class OutliersRequest
{
    [JsonPropertyName("method")]
    [Description("lof (local outlier factor, when absent) or knn_distance (mean distance to the k nearest).")]
    public OutlierMethodName? Method { get; init; }

    [JsonPropertyName("k")]
    [Range(1, 1000)]
    [Description("Neighbourhood size (20 when absent, fewer for a smaller collection); less than the number of points.")]
    public int? K { get; init; }

    [JsonPropertyName("top")]
    [Range(1, 1000)]
    [Description("Outliers listed with text and payload, highest score first (10 when absent).")]
    public int? Top { get; init; }

    [JsonPropertyName("seed")]
    [Description("Fixes the sample (42 when absent); the projection route with the same seed and limit maps the same points.")]
    public int? Seed { get; init; }

    [JsonPropertyName("limit")]
    [Range(3, int.MaxValue)]
    [Description("Most points scored (5,000 when absent; at most the server's points per request). Exact neighbours make the cost quadratic in it.")]
    public int? Limit { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<OutlierMethodName>))]
internal enum OutlierMethodName
{
    [JsonStringEnumMemberName("lof")]
    Lof,

    [JsonStringEnumMemberName("knn_distance")]
    KnnDistance,
}

internal sealed class OutliersAnswer
{
    [JsonPropertyName("method")]
    public required OutlierMethodName Method { get; init; }

    [JsonPropertyName("k")]
    public required int K { get; init; }

    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    [JsonPropertyName("sequence")]
    public required long Sequence { get; init; }

    [JsonPropertyName("total")]
    public required long Total { get; init; }

    [JsonPropertyName("sampled")]
    public required bool Sampled { get; init; }

    [JsonPropertyName("median")]
    [Description("The median score: about 1 for lof.")]
    public required double Median { get; init; }

    [JsonPropertyName("top")]
    public required OutlierPoint[] Top { get; init; }

    [JsonPropertyName("points")]
    [Description("Every scored point's score, in id order.")]
    public required ScoredOutlier[] Points { get; init; }
}

internal sealed class OutlierPoint
{
    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("score")]
    public required double Score { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    [JsonPropertyName("payload")]
    public JsonObject? Payload { get; init; }
}

internal sealed class ScoredOutlier
{
    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("score")]
    public required double Score { get; init; }
}
