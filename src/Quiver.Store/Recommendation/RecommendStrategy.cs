namespace Quiver.Store.Recommendation;

/// <summary>How positive and negative examples become one ranking (Qdrant's recommend strategies).</summary>
public enum RecommendStrategy
{
    /// <summary>One query vector, avg(positives) + (avg(positives) − avg(negatives)), searched like any query.</summary>
    AverageVector,

    /// <summary>
    /// Each candidate scored by its most similar example: s(p) when its best positive similarity p beats its best
    /// negative n, else −s(n), with s(x) = (x / (1 + |x|) + 1) / 2, so any point nearer a positive ranks above every
    /// point nearer a negative.
    /// </summary>
    BestScore,

    /// <summary>Each candidate scored by the sum of its similarities to the positives minus the sum to the negatives.</summary>
    SumScores,
}
