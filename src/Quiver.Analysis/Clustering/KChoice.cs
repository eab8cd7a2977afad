namespace Quiver.Analysis.Clustering;

/// <summary>Every k tried, in order, and the fit of the k with the highest silhouette.</summary>
public sealed record KChoice(IReadOnlyList<KScore> Scores, KMeansResult Best)
{
    public int BestK => Best.K;
}
