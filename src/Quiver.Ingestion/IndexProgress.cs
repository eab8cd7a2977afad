namespace Quiver.Ingestion;

/// <summary>
/// How far a folder index has got. <see cref="FilesDone"/> counts files finished: written, unchanged or skipped.
/// <see cref="Bytes"/> counts the files finished (indexed, unchanged or skipped) and
/// the share of the current file whose chunks are embedded, out of <see cref="BytesTotal"/> for all files found
/// (0 when not known), so progress moves within a large file, not only between files.
/// </summary>
public readonly record struct IndexProgress(int FilesDone, int FilesTotal, int Chunks, long Bytes, string? CurrentFile, long BytesTotal = 0);
