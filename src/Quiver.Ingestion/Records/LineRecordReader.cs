using System.Text.Json;

namespace Quiver.Ingestion.Records;

/// <summary>
/// One record per line. Empty lines are records too (with empty text), so that record N is always line N + 1 and
/// the output lines up with the input; a line break at the very end of the file does not start another record.
/// </summary>
internal sealed class LineRecordReader(Stream input) : TextRecordReader(input)
{
    private protected override (long Line, string Text, JsonElement? Id)? ReadNext() =>
        Source.TryRead(out var line, out _) ? (Source.Line, Decode(line, Source.Line), null) : null;
}
