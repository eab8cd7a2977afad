using Microsoft.Extensions.AI;
using Quiver.Ingestion.Records;

namespace Quiver.Ingestion.Bulk;

/// <summary>What a <see cref="BulkEmbeddingJob"/> reads, writes and how.</summary>
public sealed record BulkEmbeddingOptions
{
    /// <summary>The default <see cref="Window"/>: big enough for transformers to batch by length, small enough to hold.</summary>
    public const int DefaultWindow = 1024;

    /// <summary>The default <see cref="CheckpointInterval"/>.</summary>
    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>The records file: plain lines, JSONL or CSV.</summary>
    public required string Input { get; init; }

    /// <summary>The vectors file: .jsonl or .npy. Its checkpoint is written beside it (<see cref="BulkEmbeddingJob.CheckpointPath"/>).</summary>
    public required string Output { get; init; }

    /// <summary>Null: from the input's extension (<see cref="TextRecordReader.FormatOf"/>).</summary>
    public TextRecordFormat? InputFormat { get; init; }

    /// <summary>Null: from the output's extension (<see cref="BulkEmbeddingJob.OutputFormatOf"/>).</summary>
    public VectorFileFormat? OutputFormat { get; init; }

    /// <summary>Where JSONL and CSV records keep their text and id. Ids are written to JSONL output only.</summary>
    public TextRecordOptions Records { get; init; } = new();

    /// <summary>Records read, embedded and written at a time: the most texts the job holds in memory and hands the generator in one call.</summary>
    public int Window { get; init; } = DefaultWindow;

    /// <summary>
    /// The least time between checkpoints, each of which makes the output durable (an fsync or two, which would cost
    /// fast models more than their embedding if done every window). A checkpoint falls after a window; one is also
    /// written when the run is cancelled and when it ends. Zero: after every window.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = DefaultCheckpointInterval;

    public ExistingOutput ExistingOutput { get; init; } = ExistingOutput.Refuse;

    /// <summary>
    /// Passed to every generator call (dimensions, a transformer's truncation policy). Its dimensions and additional
    /// properties are part of the checkpoint, since they change the vectors.
    /// </summary>
    public EmbeddingGenerationOptions? Generation { get; init; }

    /// <summary>
    /// Whatever else changes the vectors that neither the generator's space nor <see cref="Generation"/> shows (a
    /// prompt the generator puts before each text, say), as text: recorded in the checkpoint and compared on resume.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}
