using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Quiver.Server.Collections;

namespace Quiver.Server.Explorer;

// The wire shapes of Quiver's clusters route (k-means with topic keywords, for the explorer).

[Description("Quiver's clusters request: k-means over the collection's points (or the projection route's seeded sample), with topic keywords.")]
internal sealed class ClustersRequest
{
    [JsonPropertyName("k")]
    [Range(1, 1000)]
    [Description("Clusters (8 when absent).")]
    public int? K { get; init; }

    [JsonPropertyName("keywords")]
    [Range(1, 50)]
    [Description("Topic keywords per cluster (8 when absent).")]
    public int? Keywords { get; init; }

    [JsonPropertyName("seed")]
    [Description("Fixes the sample and the k-means starts (42 when absent); the projection route with the same seed and limit maps the same points.")]
    public int? Seed { get; init; }

    [JsonPropertyName("limit")]
    [Range(2, int.MaxValue)]
    [Description("Most points clustered (5,000 when absent; at most the server's points per request). A larger collection is sampled with the seed.")]
    public int? Limit { get; init; }
}

internal sealed class ClustersAnswer
{
    [JsonPropertyName("k")]
    public required int K { get; init; }

    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    [JsonPropertyName("sequence")]
    [Description("The collection's sequence number the clusters were computed at.")]
    public required long Sequence { get; init; }

    [JsonPropertyName("total")]
    [Description("Points in the collection.")]
    public required long Total { get; init; }

    [JsonPropertyName("sampled")]
    [Description("Whether the collection held more points than the limit, so a seeded sample was clustered.")]
    public required bool Sampled { get; init; }

    [JsonPropertyName("clusters")]
    public required ClusterTopic[] Clusters { get; init; }

    [JsonPropertyName("points")]
    [Description("Each clustered point's cluster, in id order.")]
    public required ClusteredPoint[] Points { get; init; }
}

internal sealed class ClusterTopic
{
    [JsonPropertyName("cluster")]
    public required int Cluster { get; init; }

    [JsonPropertyName("size")]
    public required int Size { get; init; }

    [JsonPropertyName("name")]
    [Description("The first four keywords joined by underscores (BERTopic's naming); empty when the cluster's points have no text.")]
    public required string Name { get; init; }

    [JsonPropertyName("keywords")]
    [Description("The cluster's most distinctive words by class-based TF-IDF, highest weight first.")]
    public required ClusterKeyword[] Keywords { get; init; }

    [JsonPropertyName("representatives")]
    [Description("The ids of the points nearest the cluster's centre, nearest first.")]
    public required PointId[] Representatives { get; init; }
}

internal sealed class ClusterKeyword
{
    [JsonPropertyName("word")]
    public required string Word { get; init; }

    [JsonPropertyName("weight")]
    public required double Weight { get; init; }
}

internal sealed class ClusteredPoint
{
    [JsonPropertyName("id")]
    public required PointId Id { get; init; }

    [JsonPropertyName("cluster")]
    public required int Cluster { get; init; }
}
