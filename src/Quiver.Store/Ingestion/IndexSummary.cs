namespace Quiver.Store.Ingestion;

/// <summary>What a folder index did.</summary>
public sealed record IndexSummary(
    int Files,
    int Chunks,
    long Bytes,
    int RemovedChunks,
    IReadOnlyList<SkippedFile> Skipped,
    TimeSpan Elapsed)
{
    public double ChunksPerSecond => Elapsed.TotalSeconds > 0 ? Chunks / Elapsed.TotalSeconds : 0;

    public double FilesPerSecond => Elapsed.TotalSeconds > 0 ? Files / Elapsed.TotalSeconds : 0;
}
