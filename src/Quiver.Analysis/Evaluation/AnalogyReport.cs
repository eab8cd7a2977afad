namespace Quiver.Analysis.Evaluation;

/// <summary>Analogy results per section, with semantic, syntactic and overall totals (Google layout).</summary>
public sealed record AnalogyReport(IReadOnlyList<AnalogySectionResult> Sections)
{
    public AnalogySectionResult Overall => AnalogySectionResult.Sum("overall", Sections);

    public AnalogySectionResult Semantic => AnalogySectionResult.Sum("semantic", Sections.Take(AnalogyEvaluation.GoogleSemanticSections));

    public AnalogySectionResult Syntactic => AnalogySectionResult.Sum("syntactic", Sections.Skip(AnalogyEvaluation.GoogleSemanticSections));
}
