namespace Quiver.Analysis.Evaluation;

/// <summary>One section's (or a total's) counts: questions, answered (all words known), correct.</summary>
public sealed record AnalogySectionResult(string Section, int Questions, int Answered, int Correct)
{
    public int Skipped => Questions - Answered;

    /// <summary>Correct over answered, in percent; NaN when nothing was answered.</summary>
    public double Accuracy => Answered == 0 ? double.NaN : 100.0 * Correct / Answered;

    public static AnalogySectionResult Sum(string name, IEnumerable<AnalogySectionResult> parts)
    {
        var list = parts.ToList();
        return new AnalogySectionResult(name, list.Sum(p => p.Questions), list.Sum(p => p.Answered), list.Sum(p => p.Correct));
    }
}
