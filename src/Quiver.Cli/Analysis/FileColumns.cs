using System.Text;
using System.Text.Json;
using Quiver.Core;
using Quiver.Ingestion.Records;

namespace Quiver.Cli.Analysis;

/// <summary>
/// The column names of a CSV file (its header) or the fields of a JSONL file's first record, read before the records
/// so that a misnamed column is refused with the names the file does have.
/// </summary>
internal static class FileColumns
{
    public static IReadOnlyList<string> Read(string path, TextRecordFormat format)
    {
        if (!File.Exists(path))
        {
            throw new QuiverException($"The input file '{path}' does not exist.");
        }

        var first = File.ReadLines(path).FirstOrDefault(l => l.Trim().Length > 0)
            ?? throw new QuiverException($"'{path}' is empty. Give a file with a header and at least one row.");
        return format == TextRecordFormat.Csv ? Header(first.TrimStart('\uFEFF')) : Fields(path, first);
    }

    // The header's fields, unquoting any in double quotes; a header rarely spans lines, so one line is read.
    private static List<string> Header(string line)
    {
        var names = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                names.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        names.Add(field.ToString());
        return names;
    }

    private static List<string> Fields(string path, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? [.. document.RootElement.EnumerateObject().Select(p => p.Name)]
                : throw new QuiverException($"The first line of '{path}' is not a JSON object; a JSONL file holds one object per line.");
        }
        catch (JsonException e)
        {
            throw new QuiverException($"The first line of '{path}' is not valid JSON ({e.Message}); a JSONL file holds one object per line.", e);
        }
    }
}
