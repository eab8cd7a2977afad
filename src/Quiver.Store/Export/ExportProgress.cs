namespace Quiver.Store.Export;

/// <summary>Points written so far, of the <paramref name="Total"/> the export expects (counted when it started).</summary>
public sealed record ExportProgress(long Points, long Total);
