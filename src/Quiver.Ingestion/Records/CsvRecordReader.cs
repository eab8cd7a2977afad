using System.Text;
using System.Text.Json;

namespace Quiver.Ingestion.Records;

/// <summary>
/// RFC 4180 CSV with a header row: fields separated by commas; a field in double quotes may hold commas, line breaks
/// (kept as written) and doubled quotes (one quote each). A quote inside an unquoted field is an ordinary character.
/// Empty lines between records are skipped. Every row must have as many fields as the header, which catches the
/// usual mistake, an unquoted comma inside a text.
/// </summary>
internal sealed class CsvRecordReader(Stream input, TextRecordOptions options) : TextRecordReader(input)
{
    private readonly StringBuilder _field = new();
    private string[]? _header;
    private int _textColumn;
    private int _idColumn = -1;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,

        // A quote inside a quoted field: the field's end, or the first of a doubled quote.
        QuoteInQuoted,
    }

    private protected override (long Line, string Text, JsonElement? Id)? ReadNext()
    {
        if (_header is null)
        {
            if (ReadRow() is not var (headerLine, header))
            {
                return null;
            }

            _header = [.. header];
            _textColumn = Column(options.Field, headerLine, "the text (--column NAME)");
            if (options.IdField is { } idField)
            {
                _idColumn = Column(idField, headerLine, "the id (--id-field NAME), or leave out --id-field to number records by position");
            }
        }

        if (ReadRow() is not var (line, row))
        {
            return null;
        }

        if (row.Count != _header.Length)
        {
            throw new TextRecordException(
                line,
                $"line {line} has {row.Count} fields, but the header has {_header.Length}. A field that holds a comma, a quote or a line break must be in double quotes (\"a, b\"), with quotes inside doubled (\"say \"\"hi\"\"\").");
        }

        return (line, row[_textColumn], _idColumn < 0 ? null : JsonSerializer.SerializeToElement(row[_idColumn]));
    }

    private int Column(string name, long headerLine, string what)
    {
        var index = Array.IndexOf(_header!, name);
        return index >= 0
            ? index
            : throw new TextRecordException(
                headerLine, $"The header (line {headerLine}) has no column \"{name}\" (its columns: {string.Join(", ", _header!.Take(20))}). Name the column that holds {what}.");
    }

    // One record, which may span several physical lines inside quotes; null at the end of the file.
    private (long Line, List<string> Fields)? ReadRow()
    {
        var fields = new List<string>();
        var state = State.FieldStart;
        long start = 0;
        _field.Clear();
        while (Source.TryRead(out var bytes, out var terminator))
        {
            if (start == 0)
            {
                if (bytes.IsEmpty)
                {
                    continue;
                }

                start = Source.Line;
            }

            var line = Source.Line;
            foreach (var c in Decode(bytes, line))
            {
                switch (state)
                {
                    case State.FieldStart when c == '"':
                        state = State.Quoted;
                        break;
                    case State.FieldStart or State.Unquoted when c == ',':
                    case State.QuoteInQuoted when c == ',':
                        fields.Add(_field.ToString());
                        _field.Clear();
                        state = State.FieldStart;
                        break;
                    case State.FieldStart or State.Unquoted:
                        _field.Append(c);
                        state = State.Unquoted;
                        break;
                    case State.Quoted when c == '"':
                        state = State.QuoteInQuoted;
                        break;
                    case State.Quoted:
                        _field.Append(c);
                        break;
                    case State.QuoteInQuoted when c == '"':
                        _field.Append('"');
                        state = State.Quoted;
                        break;
                    default:
                        throw new TextRecordException(
                            line,
                            $"line {line}: a quoted field is followed by '{c}' before the next comma. Put the whole field in double quotes and double any quote inside it (\"say \"\"hi\"\"\").");
                }
            }

            if (state != State.Quoted)
            {
                fields.Add(_field.ToString());
                return (start, fields);
            }

            if (terminator.IsEmpty)
            {
                break;
            }

            // A line break inside quotes belongs to the field, as written ("\n" or "\r\n").
            _field.Append(Encoding.ASCII.GetString(terminator));
            if (_field.Length > ByteLineReader.MaxLineBytes)
            {
                throw Unclosed(start);
            }
        }

        return start == 0 ? null : throw Unclosed(start);
    }

    private static TextRecordException Unclosed(long start) => new(
        start,
        $"line {start}: a quoted field that opens on this line is not closed (by the end of the file, or within {ByteLineReader.MaxLineBytes >> 20} MiB). Close it with a double quote, and double any quote inside it (\"\").");
}
