using Quiver.Store.Filtering;

namespace Quiver.Store.Export;

/// <summary>What to export and how.</summary>
public sealed record ExportOptions
{
    /// <summary>The default number of points read, held and written at a time (a Parquet row group).</summary>
    public const int DefaultBatchSize = 8192;

    /// <summary>Only points matching this filter; null for all.</summary>
    public PayloadFilter? Filter { get; init; }

    /// <summary>Replace an existing output file instead of refusing.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Points read, held in memory and written at a time; memory is about this many vectors and payloads.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;
}
