namespace Quiver.Store.Ingestion;

/// <summary>How far a folder index has got.</summary>
public readonly record struct IndexProgress(int FilesDone, int FilesTotal, int Chunks, long Bytes, string? CurrentFile);
