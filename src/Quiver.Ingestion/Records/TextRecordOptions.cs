namespace Quiver.Ingestion.Records;

/// <summary>Where a JSONL or CSV record keeps its text and, optionally, an id to carry along.</summary>
public sealed record TextRecordOptions
{
    /// <summary>The JSONL field or CSV column that holds the text.</summary>
    public string Field { get; init; } = "text";

    /// <summary>A JSONL field or CSV column to carry into each <see cref="TextRecord.Id"/>; every record must have it. Null: none.</summary>
    public string? IdField { get; init; }
}
