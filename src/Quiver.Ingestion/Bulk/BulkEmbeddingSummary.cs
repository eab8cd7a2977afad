namespace Quiver.Ingestion.Bulk;

/// <summary>
/// What a bulk embedding job did: the records in the output, how many of them an earlier, interrupted run had
/// already written, their dimensions, and how long this run took.
/// </summary>
public sealed record BulkEmbeddingSummary(long Records, long ResumedRecords, int Dimensions, TimeSpan Elapsed)
{
    /// <summary>Records this run embedded.</summary>
    public long Embedded => Records - ResumedRecords;

    public double RecordsPerSecond => Elapsed.TotalSeconds > 0 ? Embedded / Elapsed.TotalSeconds : 0;
}
