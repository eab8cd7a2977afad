namespace Quiver.Analysis.Evaluation;

/// <summary>
/// Analogy accuracy per section and overall. A question is answered only when all four words are in the candidate
/// vocabulary; the others are counted as skipped. The solver excludes a, b and c from its answers.
/// </summary>
public static class AnalogyEvaluation
{
    /// <summary>The first five sections of the Google set are semantic, the rest syntactic.</summary>
    public const int GoogleSemanticSections = 5;

    public static AnalogyReport Run(
        IReadOnlyList<AnalogyQuestion> questions,
        Func<string, bool> isCandidate,
        Func<AnalogyQuestion, string?> solve,
        IProgress<int>? progress = null)
    {
        var correct = new bool[questions.Count];
        var answered = new bool[questions.Count];
        var done = 0;
        Parallel.For(0, questions.Count, i =>
        {
            var q = questions[i];
            if (isCandidate(q.A) && isCandidate(q.B) && isCandidate(q.C) && isCandidate(q.D))
            {
                answered[i] = true;
                correct[i] = solve(q) == q.D;
            }

            var n = Interlocked.Increment(ref done);
            if (n % 500 == 0)
            {
                progress?.Report(n);
            }
        });

        var sections = new List<AnalogySectionResult>();
        foreach (var group in questions.Select((q, i) => (q, i)).GroupBy(x => x.q.Section))
        {
            sections.Add(new AnalogySectionResult(
                group.Key,
                group.Count(),
                group.Count(x => answered[x.i]),
                group.Count(x => correct[x.i])));
        }

        return new AnalogyReport(sections);
    }
}
