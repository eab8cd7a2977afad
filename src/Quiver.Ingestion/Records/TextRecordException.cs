using Quiver.Core;

namespace Quiver.Ingestion.Records;

/// <summary>A record of a lines, JSONL or CSV file that cannot be read; the message names its line and the fix.</summary>
public sealed class TextRecordException : QuiverException
{
    public TextRecordException(long line, string message)
        : base(message) => Line = line;

    public TextRecordException(long line, string message, Exception innerException)
        : base(message, innerException) => Line = line;

    /// <summary>The 1-based line of the file where the record starts.</summary>
    public long Line { get; }
}
