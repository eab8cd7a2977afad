using Quiver.Models.Pooling;

namespace Quiver.Models.Onnx;

/// <summary>How a <see cref="TransformerEncoder"/> runs a model. Unset values come from the model folder.</summary>
public sealed record TransformerEncoderOptions
{
    /// <summary>Overrides the folder's pooling (1_Pooling/config.json).</summary>
    public PoolingMode? Pooling { get; init; }

    /// <summary>Overrides whether vectors are L2-normalised (a Normalize module in modules.json).</summary>
    public bool? Normalize { get; init; }

    /// <summary>Keep only the first N dimensions (Matryoshka truncation), renormalised when normalising.</summary>
    public int? Dimensions { get; init; }

    /// <summary>A lower maximum sequence length than the model's (special tokens included).</summary>
    public int? MaxLength { get; init; }

    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Truncate;

    /// <summary>Tokens shared by consecutive windows when chunking.</summary>
    public int ChunkOverlap { get; init; } = 32;

    /// <summary>The most tokens (padded batch size × padded length) one model call may take.</summary>
    public int TokenBudget { get; init; } = 16_384;

    /// <summary>The most sequences in one model call.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>
    /// What one model call costs beyond its tokens, in tokens: the sorted inputs are cut into calls that minimise
    /// padded tokens plus this per call. 16 is what a call of USE-lite costs on CPU (1.45 ms at 98 µs a token, from
    /// Quiver.Bench encoder at batch 1, 4, 16 and 64); 0 cuts wherever lengths differ, a large value fills every call.
    /// </summary>
    public int CallOverheadTokens { get; init; } = 16;

    /// <summary>How many inputs are tokenised and sorted by length together, bounding memory when streaming.</summary>
    public int SortWindow { get; init; } = 4_096;

    /// <summary>ONNX Runtime intra-op threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's threads spin while they wait for work (faster back-to-back batches). A server turns it
    /// off so that waiting model threads leave the cores to the request handlers.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>Text put before every input (a model's query or passage prompt, e.g. "query: ").</summary>
    public string? Prompt { get; init; }
}
