using Quiver.Models.Pooling;

namespace Quiver.Catalogue.Synthetic;

/// <summary>
/// The shape and random initialisation of a synthetic BERT encoder. The defaults are a tiny model for tests (two
/// layers, hidden size 32) that keeps BERT's uncased vocabulary size, so any bert-base-uncased tokenizer fits it.
/// </summary>
public sealed record SyntheticBertOptions
{
    /// <summary>The shape of sentence-transformers/all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, about 22.6M weights (no pooler).</summary>
    public static SyntheticBertOptions MiniLmL6 { get; } = new()
    {
        Layers = 6,
        Hidden = 384,
        Heads = 12,
        Intermediate = 1536,
    };

    public int Layers { get; init; } = 2;

    public int Hidden { get; init; } = 32;

    /// <summary>Attention heads; must divide <see cref="Hidden"/>.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Width of each layer's feed-forward block.</summary>
    public int Intermediate { get; init; } = 64;

    public int VocabSize { get; init; } = 30522;

    /// <summary>Rows of the position embedding table, and so the longest input the model accepts.</summary>
    public int MaxPositions { get; init; } = 512;

    public int TypeVocabSize { get; init; } = 2;

    /// <summary>
    /// Standard deviation of every random weight: matrices, embeddings and biases are N(0, std²), LayerNorm scales
    /// 1 + N(0, std²) and shifts N(0, std²). BERT's own is 0.02; larger values (0.2) make attention matter, which a
    /// test of masking needs.
    /// </summary>
    public double InitStd { get; init; } = 0.02;

    /// <summary>Seeds <see cref="System.Random"/>, so the same options always give the same weights.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Whether the model takes a <c>token_type_ids</c> input; without it every token is segment 0.</summary>
    public bool IncludeTokenTypeIds { get; init; } = true;

    /// <summary>The pooling written to <c>1_Pooling/config.json</c>; the ONNX model itself always returns every token.</summary>
    public PoolingMode Pooling { get; init; } = PoolingMode.Mean;

    internal int HeadSize => Hidden / Heads;

    internal void Validate()
    {
        Positive(Layers, nameof(Layers));
        Positive(Hidden, nameof(Hidden));
        Positive(Heads, nameof(Heads));
        Positive(Intermediate, nameof(Intermediate));
        Positive(VocabSize, nameof(VocabSize));
        Positive(MaxPositions, nameof(MaxPositions));
        Positive(TypeVocabSize, nameof(TypeVocabSize));
        if (Hidden % Heads != 0)
        {
            throw new ArgumentException($"Hidden size {Hidden} is not a multiple of the {Heads} attention heads; choose heads that divide it.");
        }

        if (!double.IsFinite(InitStd) || InitStd < 0)
        {
            throw new ArgumentException($"InitStd must be a finite, non-negative standard deviation, not {InitStd}.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be at least 1, not {value}.");
        }
    }
}
