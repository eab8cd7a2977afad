using System.Text;
using Quiver.Core;

namespace Quiver.Ingestion.Records;

/// <summary>
/// Streams the texts of a records file (plain lines, JSONL or CSV) one record at a time, in file order, holding one
/// record in memory. It counts and hashes the bytes its records came from (<see cref="BytesConsumed"/>,
/// <see cref="ConsumedSha256"/>), so a job that stops part way can later check that the file it continues is the one
/// it started on. A record that cannot be read raises <see cref="TextRecordException"/> naming its line and the fix.
/// </summary>
public abstract class TextRecordReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private long _nextIndex;

    private protected TextRecordReader(Stream input) => Source = new ByteLineReader(input);

    /// <summary>Bytes of the file read so far: up to the end of the last record returned (the whole file once <see cref="Read"/> returns null).</summary>
    public long BytesConsumed => Source.BytesConsumed;

    private protected ByteLineReader Source { get; }

    public static TextRecordReader Open(string path, TextRecordFormat format, TextRecordOptions? options = null)
    {
        if (!File.Exists(path))
        {
            throw new QuiverException($"The input file '{path}' does not exist.");
        }

        return Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1), format, options);
    }

    /// <summary>A reader over <paramref name="input"/>, which it disposes.</summary>
    public static TextRecordReader Open(Stream input, TextRecordFormat format, TextRecordOptions? options = null)
    {
        options ??= new TextRecordOptions();
        return format switch
        {
            TextRecordFormat.Lines when options.IdField is not null => throw new QuiverException(
                $"Plain lines have no fields to take an id from (asked for \"{options.IdField}\"); their records are numbered by line. Use JSONL or CSV input to carry ids."),
            TextRecordFormat.Lines => new LineRecordReader(input),
            TextRecordFormat.Jsonl => new JsonlRecordReader(input, options),
            TextRecordFormat.Csv => new CsvRecordReader(input, options),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a records format."),
        };
    }

    /// <summary>The format a file's extension names: .txt (and .text) plain lines, .jsonl (and .ndjson) JSONL, .csv CSV.</summary>
    public static TextRecordFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".txt" or ".text" => TextRecordFormat.Lines,
        ".jsonl" or ".ndjson" => TextRecordFormat.Jsonl,
        ".csv" => TextRecordFormat.Csv,
        var other => throw new QuiverException(
            $"Cannot tell the format of '{path}' from its extension '{other}'. Name .txt (one text per line), .jsonl or .csv files, or give the format (--format lines|jsonl|csv)."),
    };

    /// <summary>The next record, or null at the end of the file.</summary>
    public TextRecord? Read() => ReadNext() is var (line, text, id) ? new TextRecord(_nextIndex++, line, text, id) : null;

    /// <summary>The SHA-256 of the bytes read so far (<see cref="BytesConsumed"/> of them).</summary>
    public byte[] ConsumedSha256() => Source.ConsumedSha256();

    public void Dispose()
    {
        Source.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The line, text and id of the next record, or null at the end.</summary>
    private protected abstract (long Line, string Text, System.Text.Json.JsonElement? Id)? ReadNext();

    private protected static string Decode(ReadOnlySpan<byte> bytes, long line)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new TextRecordException(line, $"line {line} is not valid UTF-8 text. Save the file as UTF-8.", e);
        }
    }
}
