namespace Quiver.Ingestion;

/// <summary>
/// What a folder index did. Files counts the files (re)indexed; unchanged ones are counted apart. Of the elapsed time,
/// <see cref="EmbeddingTime"/> went to the model and <see cref="StorageTime"/> to writing and deleting points (SQLite,
/// keyword index, vector index); the rest is reading, hashing and chunking.
/// </summary>
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
    public TimeSpan EmbeddingTime { get; init; }

    public TimeSpan StorageTime { get; init; }

    public double ChunksPerSecond => Elapsed.TotalSeconds > 0 ? Chunks / Elapsed.TotalSeconds : 0;

    public double FilesPerSecond => Elapsed.TotalSeconds > 0 ? Files / Elapsed.TotalSeconds : 0;
}
