using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Quiver.Server.Collections;

// The wire shapes of Quiver's projection route (a collection's points mapped to 2-D or 3-D for the explorer).

[Description("Quiver's projection request: map a collection's points to 2-D or 3-D.")]
internal sealed class ProjectionRequest
{
    [JsonPropertyName("method")]
    [Description("umap (when absent), tsne or pca.")]
    public ProjectionMethodName? Method { get; init; }

    [JsonPropertyName("dimensions")]
    [Range(2, 3)]
    [Description("2 (when absent) or 3.")]
    public int? Dimensions { get; init; }

    [JsonPropertyName("seed")]
    [Description("Fixes every random choice: the same points, method and seed give the same coordinates (42 when absent).")]
    public int? Seed { get; init; }

    [JsonPropertyName("limit")]
    [Range(2, int.MaxValue)]
    [Description("Most points projected (5,000 when absent; at most the server's points per request). A larger collection is sampled with the seed.")]
    public int? Limit { get; init; }

    [JsonPropertyName("with_payload")]
    [Description("Include each point's payload (false when absent).")]
    public bool? WithPayload { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ProjectionMethodName>))]
internal enum ProjectionMethodName
{
    [JsonStringEnumMemberName("umap")]
    Umap,

    [JsonStringEnumMemberName("tsne")]
    Tsne,

    [JsonStringEnumMemberName("pca")]
    Pca,
}

internal sealed class ProjectionAnswer
{
    [JsonPropertyName("method")]
    public required ProjectionMethodName Method { get; init; }

    [JsonPropertyName("dimensions")]
    public required int Dimensions { get; init; }

    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    [JsonPropertyName("sequence")]
    [Description("The collection's sequence number the projection was computed at; a later change to the collection recomputes it.")]
    public required long Sequence { get; init; }

    [JsonPropertyName("cached")]
    [Description("Whether this answer came from the server's cache (same collection state, method, dimensions, seed and limit).")]
    public required bool Cached { get; init; }

    [JsonPropertyName("total")]
    [Description("Points in the collection.")]
    public required long Total { get; init; }

    [JsonPropertyName("sampled")]
    [Description("Whether the collection held more points than the limit, so a seeded sample was projected.")]
    public required bool Sampled { get; init; }

    [JsonPropertyName("explained_variance_ratio")]
    [Description("For pca, each axis's share of the total variance; empty otherwise.")]
    public required double[] ExplainedVarianceRatio { get; init; }

    [JsonPropertyName("points")]
    public required ProjectedPoint[] Points { get; init; }
}

internal sealed class ProjectedPoint
{
    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("coordinates")]
    [Description("2 or 3 numbers.")]
    public required float[] Coordinates { get; init; }

    [JsonPropertyName("payload")]
    [Description("With with_payload: the point's payload.")]
    public JsonObject? Payload { get; init; }
}
