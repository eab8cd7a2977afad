using System.Text.Json;

namespace Quiver.Ingestion.Records;

/// <summary>
/// One text to embed from a records file: its 0-based position among the file's records, the 1-based line where it
/// starts, the text, and, when asked for, an id value carried from the record (a JSON value for JSONL, a string for CSV).
/// </summary>
public sealed record TextRecord(long Index, long Line, string Text, JsonElement? Id = null);
