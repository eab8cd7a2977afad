namespace Quiver.Store.Ingestion;

/// <summary>What a folder index did. Files counts the files (re)indexed; unchanged ones are counted apart.</summary>
public sealed record IndexSummary(
    int Files,
    int Chunks,
    long Bytes,
    int RemovedChunks,
    IReadOnlyList<SkippedFile> Skipped,
    TimeSpan Elapsed,
    int UnchangedFiles = 0,
    int RemovedFiles = 0)
{
    public double ChunksPerSecond => Elapsed.TotalSeconds > 0 ? Chunks / Elapsed.TotalSeconds : 0;

    public double FilesPerSecond => Elapsed.TotalSeconds > 0 ? Files / Elapsed.TotalSeconds : 0;
}
