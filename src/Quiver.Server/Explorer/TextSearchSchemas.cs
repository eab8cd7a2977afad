using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Collections;

namespace Quiver.Server.Explorer;

// The wire shapes of Quiver's text search route (dense, keyword or hybrid, as quiver search).

[Description("Quiver's text search: dense, keyword (BM25) or hybrid (reciprocal rank fusion of both), with a Qdrant filter.")]
internal sealed class TextSearchRequest
{
    [JsonPropertyName("text")]
    [Description("The query.")]
    public required string Text { get; init; }

    [JsonPropertyName("mode")]
    [Description("dense, keyword or hybrid (when absent; keyword for a raw-vector collection).")]
    public TextSearchMode? Mode { get; init; }

    [JsonPropertyName("limit")]
    [Range(1, int.MaxValue)]
    [Description("Most hits (10 when absent; at most the server's points per request).")]
    public int? Limit { get; init; }

    [JsonPropertyName("filter")]
    public Filter? Filter { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<TextSearchMode>))]
internal enum TextSearchMode
{
    [JsonStringEnumMemberName("dense")]
    Dense,

    [JsonStringEnumMemberName("keyword")]
    Keyword,

    [JsonStringEnumMemberName("hybrid")]
    Hybrid,
}

internal sealed class TextSearchHit
{
    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("score")]
    [Description("The mode's score: cosine similarity (or the metric's), BM25, or the fused reciprocal-rank score.")]
    public required float Score { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    [JsonPropertyName("payload")]
    public JsonObject? Payload { get; init; }
}
