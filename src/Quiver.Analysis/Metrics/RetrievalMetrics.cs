namespace Quiver.Analysis.Metrics;

/// <summary>
/// Ranking metrics for one query, as trec_eval and BEIR compute them: nDCG@k with linear graded gains
/// (gain / log2(rank + 1)), average precision, recall@k and reciprocal rank, with documents of gain above 0 relevant.
/// </summary>
public static class RetrievalMetrics
{
    public static double NdcgAt(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> gains, int k)
    {
        var ideal = gains.Values.Where(g => g > 0).OrderDescending().Take(k).Select((g, i) => g / Math.Log2(i + 2)).Sum();
        if (ideal == 0)
        {
            return 0;
        }

        var dcg = ranking.Take(k).Select((id, i) => Math.Max(gains.GetValueOrDefault(id), 0) / Math.Log2(i + 2)).Sum();
        return dcg / ideal;
    }

    /// <summary>Mean of the precision at each relevant document's rank, over all relevant documents (unretrieved ones count 0).</summary>
    public static double AveragePrecision(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> gains)
    {
        var relevant = gains.Count(g => g.Value > 0);
        if (relevant == 0)
        {
            return 0;
        }

        double found = 0, sum = 0;
        for (var i = 0; i < ranking.Count; i++)
        {
            if (gains.GetValueOrDefault(ranking[i]) > 0)
            {
                found++;
                sum += found / (i + 1);
            }
        }

        return sum / relevant;
    }

    public static double RecallAt(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> gains, int k)
    {
        var relevant = gains.Count(g => g.Value > 0);
        return relevant == 0 ? 0 : ranking.Take(k).Count(id => gains.GetValueOrDefault(id) > 0) / (double)relevant;
    }

    /// <summary>1 / the rank of the first relevant document, 0 when none is retrieved.</summary>
    public static double ReciprocalRank(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> gains)
    {
        for (var i = 0; i < ranking.Count; i++)
        {
            if (gains.GetValueOrDefault(ranking[i]) > 0)
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }
}
