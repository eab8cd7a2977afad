namespace Quiver.Cli.Parsing;

/// <summary>The names closest to a mistyped one, by edit distance with transpositions (so "serach" is one edit from "search").</summary>
internal static class Suggestions
{
    /// <summary>
    /// Up to three candidates, nearest first: those within a third of the typed length in edits (at least one), and those
    /// the typed text begins (a prefix of three or more characters).
    /// </summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> candidates)
    {
        var limit = Math.Max(1, typed.Length / 3);
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(candidate => (Candidate: candidate, Distance: Distance(typed, candidate)))
            .Where(c => c.Distance <= limit || (typed.Length >= 3 && c.Candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Candidate)
            .ToList();
    }

    /// <summary>"; did you mean 'search'?" or "; did you mean 'a', 'b' or 'c'?"; empty when there is nothing close.</summary>
    public static string DidYouMean(IReadOnlyList<string> closest) => closest.Count switch
    {
        0 => string.Empty,
        1 => $"; did you mean '{closest[0]}'?",
        _ => $"; did you mean {string.Join(", ", closest.Take(closest.Count - 1).Select(c => $"'{c}'"))} or '{closest[^1]}'?",
    };

    /// <summary>Optimal string alignment distance, case-insensitive: insertions, deletions, substitutions and adjacent swaps.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
