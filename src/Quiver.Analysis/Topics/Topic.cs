namespace Quiver.Analysis.Topics;

/// <summary>
/// What a cluster is about: its most distinctive words by class-based TF-IDF and the points nearest its centre
/// (indices into the input, nearest first). Cluster −1 is the noise of a density clustering.
/// </summary>
public sealed record Topic(int Cluster, int Size, IReadOnlyList<TopicKeyword> Keywords, IReadOnlyList<int> Representatives)
{
    /// <summary>The first four keywords joined by underscores, BERTopic's way of naming a topic ("card_arrived_delivery_track"); empty when the cluster has no words.</summary>
    public string Name => string.Join('_', Keywords.Take(4).Select(k => k.Word));
}
