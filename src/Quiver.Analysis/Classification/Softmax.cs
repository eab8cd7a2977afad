namespace Quiver.Analysis.Classification;

/// <summary>The softmax of scores, computed stably (the largest score subtracted first).</summary>
internal static class Softmax
{
    /// <summary>Turns <paramref name="scores"/> into probabilities in place and returns log Σ exp(scores) (the log-partition).</summary>
    public static double InPlace(Span<double> scores)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        var sum = 0.0;
        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] = Math.Exp(scores[k] - max);
            sum += scores[k];
        }

        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] /= sum;
        }

        return max + Math.Log(sum);
    }
}
