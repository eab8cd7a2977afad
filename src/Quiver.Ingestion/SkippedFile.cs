namespace Quiver.Ingestion;

/// <summary>A file or chunk left out of an index, and why.</summary>
public sealed record SkippedFile(string Path, string Reason);
