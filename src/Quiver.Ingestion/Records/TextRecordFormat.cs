namespace Quiver.Ingestion.Records;

/// <summary>How a records file holds its texts.</summary>
public enum TextRecordFormat
{
    /// <summary>One text per line (.txt). Every line is a record, an empty one too, so record N is line N + 1.</summary>
    Lines,

    /// <summary>One JSON object per line (.jsonl); the text is a string field. Blank lines are skipped.</summary>
    Jsonl,

    /// <summary>RFC 4180 comma-separated values with a header row (.csv); the text is a column. Empty lines are skipped.</summary>
    Csv,
}
