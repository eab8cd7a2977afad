using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.Store.Search;

/// <summary>
/// One search, dense, keyword or hybrid, with everything that shapes its answer: filter, exclusions, fusion,
/// diversification, score cut-off, the page (offset and k), and what each hit carries. Give <see cref="Vector"/> for
/// dense, <see cref="Text"/> for keyword, both for hybrid; the mode follows from what is given unless set.
/// </summary>
public sealed record SearchRequest
{
    /// <summary>The query's embedding, from the collection's model.</summary>
    public float[]? Vector { get; init; }

    /// <summary>The query's words, for BM25.</summary>
    public string? Text { get; init; }

    /// <summary>Results wanted.</summary>
    public int K { get; init; } = 10;

    /// <summary>Results of the same ranking skipped before the <see cref="K"/> returned (the next page starts at K + offset).</summary>
    public int Offset { get; init; }

    /// <summary>Ids never returned (a recommendation's own examples); the search looks that much deeper to still fill k.</summary>
    public IReadOnlySet<string>? Exclude { get; init; }

    /// <summary>Whether hits carry their payload and text.</summary>
    public bool WithPayload { get; init; } = true;

    /// <summary>Whether hits carry their stored vector (<see cref="SearchHit.Vector"/>).</summary>
    public bool WithVectors { get; init; }

    /// <summary>Null: hybrid when both a vector and text are given, else whichever is.</summary>
    public SearchMode? Mode { get; init; }

    public FusionMethod Fusion { get; init; } = FusionMethod.ReciprocalRank;

    /// <summary>Reciprocal rank fusion's k: larger flattens the advantage of the very first ranks. 60 is the usual choice.</summary>
    public int RrfK { get; init; } = 60;

    /// <summary>For <see cref="FusionMethod.WeightedSum"/>: the keyword side's share, from 0 (dense only) to 1 (keyword only).</summary>
    public double KeywordWeight { get; init; } = 0.5;

    /// <summary>Candidates each side contributes to fusion and diversification (at least <see cref="K"/> are taken).</summary>
    public int Candidates { get; init; } = 100;

    /// <summary>
    /// Maximal marginal relevance λ, from 0 to 1: when set, results are picked one by one, each maximising
    /// λ × relevance − (1 − λ) × its highest cosine to the stored vectors already picked. 1 is plain relevance order.
    /// </summary>
    public double? MmrLambda { get; init; }

    /// <summary>
    /// Drop results scoring below this (above it for Euclidean dense search, whose scores are distances). The score is
    /// the one reported: similarity, BM25 or the fused score.
    /// </summary>
    public double? ScoreThreshold { get; init; }

    public PayloadFilter? Filter { get; init; }

    /// <summary>HNSW candidate-list size for the dense side; the collection's default when null.</summary>
    public int? Ef { get; init; }

    /// <summary>Dense side by a full scan of the stored vectors with exact scores (no graph, no quantised codes); <see cref="Ef"/> is then unused.</summary>
    public bool Exact { get; init; }

    /// <summary>The space <see cref="Vector"/> came from, checked against the collection's.</summary>
    public EmbeddingSpace? Source { get; init; }
}
