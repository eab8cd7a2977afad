using Quiver.Store.Filtering;
using Quiver.Store.Search;

namespace Quiver.Ingestion.Retrieval;

/// <summary>A question to gather prompt context for: how to search, and how many tokens the passages may take in all.</summary>
public sealed record ContextRequest(string Question)
{
    /// <summary>Tokens the passages (with their citation lines) may use together.</summary>
    public int BudgetTokens { get; init; } = 1000;

    /// <summary>Passages considered, best first; those that do not fit the remaining budget are passed over.</summary>
    public int Candidates { get; init; } = 20;

    /// <summary>Hybrid by default; keyword when the retriever has no encoder.</summary>
    public SearchMode? Mode { get; init; }

    public FusionMethod Fusion { get; init; } = FusionMethod.ReciprocalRank;

    public double KeywordWeight { get; init; } = 0.5;

    /// <summary>MMR λ to avoid near-duplicate passages (overlapping chunks); null for none.</summary>
    public double? MmrLambda { get; init; } = 0.7;

    public float? ScoreThreshold { get; init; }

    public PayloadFilter? Filter { get; init; }
}
