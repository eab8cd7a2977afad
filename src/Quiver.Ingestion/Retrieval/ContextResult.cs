namespace Quiver.Ingestion.Retrieval;

/// <summary>The passages chosen for a question, best first, the tokens they use, and the text ready to paste into a prompt.</summary>
public sealed record ContextResult(string Question, IReadOnlyList<ContextPassage> Passages, int UsedTokens, int BudgetTokens, int PassedOver)
{
    /// <summary>Each passage under its citation line, separated by blank lines.</summary>
    public string Prompt => string.Join("\n\n", Passages.Select(p => p.Citation + "\n" + p.Text));
}
