namespace Quiver.Ingestion.Bulk;

/// <summary>
/// How far a bulk embedding job has got, reported after each window: records in the output (those of a resumed run
/// included), records embedded by this run, and bytes of the input read out of its total.
/// </summary>
public readonly record struct BulkEmbeddingProgress(long Records, long Embedded, long InputBytesRead, long InputBytes);
