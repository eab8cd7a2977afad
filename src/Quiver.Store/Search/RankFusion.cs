using Quiver.Core;

namespace Quiver.Store.Search;

/// <summary>The fusion and diversification arithmetic, on plain ranked lists (best first) so it can be checked by hand.</summary>
internal static class RankFusion
{
    /// <summary>Sum over the lists of 1 / (k + rank), ranks from 1; best first, ties by id.</summary>
    public static List<(string Id, double Score)> ReciprocalRank(IEnumerable<IReadOnlyList<string>> rankings, int k)
    {
        if (k < 0)
        {
            throw new QuiverException($"Reciprocal rank fusion's k is {k}; it must be 0 or more (60 is usual).");
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var ranking in rankings)
        {
            for (var i = 0; i < ranking.Count; i++)
            {
                scores[ranking[i]] = scores.GetValueOrDefault(ranking[i]) + (1.0 / (k + i + 1));
            }
        }

        return Sorted(scores);
    }

    /// <summary>
    /// weight × minmax(keyword) + (1 − weight) × minmax(dense); a point absent from a side scores 0 there. Scores must
    /// be higher-is-better.
    /// </summary>
    public static List<(string Id, double Score)> WeightedSum(
        IReadOnlyList<(string Id, double Score)> dense, IReadOnlyList<(string Id, double Score)> keyword, double keywordWeight)
    {
        if (keywordWeight is < 0 or > 1 || double.IsNaN(keywordWeight))
        {
            throw new QuiverException($"The keyword weight is {keywordWeight}; it must lie between 0 (dense only) and 1 (keyword only).");
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, score) in MinMax(dense))
        {
            scores[id] = (1 - keywordWeight) * score;
        }

        foreach (var (id, score) in MinMax(keyword))
        {
            scores[id] = scores.GetValueOrDefault(id) + (keywordWeight * score);
        }

        return Sorted(scores);
    }

    /// <summary>Scores rescaled to [0, 1] by the list's minimum and maximum; all 1 when they are equal.</summary>
    public static List<(string Id, double Score)> MinMax(IReadOnlyList<(string Id, double Score)> scored)
    {
        if (scored.Count == 0)
        {
            return [];
        }

        var min = scored.Min(s => s.Score);
        var max = scored.Max(s => s.Score);
        return scored.Select(s => (s.Id, max > min ? (s.Score - min) / (max - min) : 1.0)).ToList();
    }

    /// <summary>
    /// Maximal marginal relevance: picks <paramref name="k"/> candidates one at a time, each maximising
    /// λ × relevance − (1 − λ) × max similarity to those already picked. Returns positions into the candidates.
    /// </summary>
    public static List<int> MaximalMarginalRelevance(IReadOnlyList<double> relevance, Func<int, int, double> similarity, int k, double lambda)
    {
        if (lambda is < 0 or > 1 || double.IsNaN(lambda))
        {
            throw new QuiverException($"MMR's λ is {lambda}; it must lie between 0 (diversity only) and 1 (relevance only).");
        }

        var picked = new List<int>(Math.Min(k, relevance.Count));
        var closest = Enumerable.Repeat(double.NegativeInfinity, relevance.Count).ToArray();
        var taken = new bool[relevance.Count];
        while (picked.Count < k && picked.Count < relevance.Count)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < relevance.Count; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                var penalty = picked.Count == 0 ? 0 : closest[i];
                var value = (lambda * relevance[i]) - ((1 - lambda) * penalty);
                if (value > bestValue)
                {
                    best = i;
                    bestValue = value;
                }
            }

            taken[best] = true;
            picked.Add(best);
            for (var i = 0; i < relevance.Count; i++)
            {
                if (!taken[i])
                {
                    closest[i] = Math.Max(closest[i], similarity(i, best));
                }
            }
        }

        return picked;
    }

    private static List<(string Id, double Score)> Sorted(Dictionary<string, double> scores) =>
        scores.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
}
