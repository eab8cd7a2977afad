namespace Quiver.Store.Export;

/// <summary>What an export wrote: the files (the main one first), the points and the bytes on disk.</summary>
public sealed record ExportResult(ExportFormat Format, IReadOnlyList<string> Files, long Points, int Dimensions, long Bytes);
