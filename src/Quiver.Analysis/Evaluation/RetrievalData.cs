using System.Globalization;
using System.Text;
using System.Text.Json;
using Quiver.Core;

namespace Quiver.Analysis.Evaluation;

/// <summary>
/// Readers for retrieval test collections: BEIR (corpus.jsonl, queries.jsonl, qrels/*.tsv) and the SMART tagged
/// layout of CISI (CISI.ALL, CISI.QRY, CISI.REL) and Cranfield (cran.all.1400, cran.qry, cranqrel).
/// </summary>
public static class RetrievalData
{
    /// <summary>Reads the collection in <paramref name="folder"/>, recognising its layout by its files.</summary>
    public static RetrievalCollection Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new QuiverException($"The retrieval collection folder '{folder}' does not exist. Give the folder of a BEIR, CISI or Cranfield collection.");
        }

        var name = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        if (File.Exists(Path.Combine(folder, "corpus.jsonl")))
        {
            return ReadBeir(folder, name);
        }

        if (File.Exists(Path.Combine(folder, "CISI.ALL")))
        {
            return ReadCisi(folder, name);
        }

        if (File.Exists(Path.Combine(folder, "cran.all.1400")))
        {
            return ReadCranfield(folder, name);
        }

        throw new QuiverException(
            $"'{folder}' holds no retrieval collection this reader knows: expected corpus.jsonl + queries.jsonl + qrels/ (BEIR), " +
            "CISI.ALL + CISI.QRY + CISI.REL (CISI) or cran.all.1400 + cran.qry + cranqrel (Cranfield).");
    }

    /// <summary>CISI: binary judgements "qid docid 0 0.000000"; only 76 of the 112 queries are judged.</summary>
    public static RetrievalCollection ReadCisi(string folder, string name)
    {
        var documents = ReadSmart(Path.Combine(folder, "CISI.ALL")).Select(r => new RetrievalDocument(r.Id, r.Field('T'), r.Field('W'))).ToList();
        var queries = ReadSmart(Path.Combine(folder, "CISI.QRY")).Select(r => new RetrievalQuery(r.Id, Join(r.Field('T'), r.Field('W')))).ToList();
        var judgements = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        ReadColumns(Path.Combine(folder, "CISI.REL"), 2, (fields, _) => Judge(judgements, fields[0], fields[1], 1));
        return new RetrievalCollection(name, "cisi", documents, queries, Freeze(judgements));
    }

    /// <summary>
    /// Cranfield: cran.qry numbers its queries 001..365 with gaps, but cranqrel numbers them 1..225 by position, so
    /// the i-th query is query i. Relevance codes run from 1 (complete answer) to 4 (minimum interest); the gain is
    /// 5 − code, and code −1 (not relevant) is dropped.
    /// </summary>
    public static RetrievalCollection ReadCranfield(string folder, string name)
    {
        var documents = ReadSmart(Path.Combine(folder, "cran.all.1400")).Select(r => new RetrievalDocument(r.Id, r.Field('T'), r.Field('W'))).ToList();
        var queries = ReadSmart(Path.Combine(folder, "cran.qry"))
            .Select((r, i) => new RetrievalQuery((i + 1).ToString(CultureInfo.InvariantCulture), r.Field('W')))
            .ToList();
        var judgements = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        ReadColumns(Path.Combine(folder, "cranqrel"), 3, (fields, where) =>
        {
            var code = ParseInt(fields[2], where);
            if (code is >= 1 and <= 4)
            {
                Judge(judgements, fields[0], fields[1], 5 - code);
            }
            else if (code != -1)
            {
                throw new QuiverException($"{where}: relevance code {code} is not one of Cranfield's 1-4 or -1.");
            }
        });
        return new RetrievalCollection(name, "cranfield", documents, queries, Freeze(judgements));
    }

    /// <summary>BEIR: corpus.jsonl (_id, title, text), queries.jsonl (_id, text), qrels/test.tsv (or the only .tsv) with a header.</summary>
    public static RetrievalCollection ReadBeir(string folder, string name)
    {
        var documents = new List<RetrievalDocument>();
        ReadJsonLines(Path.Combine(folder, "corpus.jsonl"), (e, _) => documents.Add(new RetrievalDocument(
            Id(e), e.TryGetProperty("title", out var t) ? t.GetString() ?? string.Empty : string.Empty, e.GetProperty("text").GetString() ?? string.Empty)));
        var queries = new List<RetrievalQuery>();
        ReadJsonLines(Path.Combine(folder, "queries.jsonl"), (e, _) => queries.Add(new RetrievalQuery(Id(e), e.GetProperty("text").GetString() ?? string.Empty)));
        var qrelsFolder = Path.Combine(folder, "qrels");
        var files = Directory.Exists(qrelsFolder) ? Directory.GetFiles(qrelsFolder, "*.tsv").Order(StringComparer.Ordinal).ToList() : [];
        var qrels = files.FirstOrDefault(f => Path.GetFileName(f) == "test.tsv") ?? (files.Count == 1 ? files[0] : null)
            ?? throw new QuiverException($"{folder}: expected qrels/test.tsv (or a single qrels/*.tsv) with the judgements; found {files.Count} .tsv files.");
        var judgements = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var first = true;
        ReadColumns(qrels, 3, (fields, where) =>
        {
            // The first row may be the "query-id corpus-id score" header.
            var header = first && !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            first = false;
            if (!header)
            {
                Judge(judgements, fields[0], fields[1], ParseInt(fields[2], where));
            }
        });
        return new RetrievalCollection(name, "beir", documents, queries, Freeze(judgements));
    }

    /// <summary>A SMART record: its .I id and its fields (.T, .A, .W, ...), each field's lines joined by newlines.</summary>
    internal sealed record SmartRecord(string Id, IReadOnlyDictionary<char, string> Fields)
    {
        public string Field(char tag) => Fields.TryGetValue(tag, out var value) ? value : string.Empty;
    }

    /// <summary>
    /// The SMART tagged layout: a line ".I id" (one word after it) starts a record, a line that is only ".X" (one
    /// capital letter, trailing spaces allowed) starts a field; any other line is text of the current field. Field text is trimmed.
    /// </summary>
    internal static IReadOnlyList<SmartRecord> ReadSmart(string path)
    {
        RequireFile(path);
        var records = new List<SmartRecord>();
        string? id = null;
        var fields = new Dictionary<char, StringBuilder>();
        char? field = null;
        var lineNumber = 0;
        void End()
        {
            if (id is not null)
            {
                records.Add(new SmartRecord(id, fields.ToDictionary(f => f.Key, f => f.Value.ToString().Trim())));
            }

            fields = [];
            field = null;
        }

        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var marker = line.TrimEnd();
            if (marker.Length >= 2 && marker[0] == '.' && char.IsAsciiLetterUpper(marker[1]))
            {
                var rest = marker[2..].Trim();
                if (marker[1] == 'I' && rest.Length > 0 && char.IsWhiteSpace(marker[2]) && !rest.Any(char.IsWhiteSpace))
                {
                    End();
                    id = rest;
                    continue;
                }

                if (marker.Length == 2)
                {
                    if (id is null)
                    {
                        throw new QuiverException($"{path}, line {lineNumber}: field .{marker[1]} before the first .I record.");
                    }

                    field = marker[1];
                    fields[field.Value] = new StringBuilder();
                    continue;
                }
            }

            if (field is { } current)
            {
                fields[current].Append(line).Append('\n');
            }
        }

        End();
        return records;
    }

    private static void Judge(Dictionary<string, Dictionary<string, int>> judgements, string query, string document, int gain)
    {
        if (!judgements.TryGetValue(query, out var forQuery))
        {
            judgements[query] = forQuery = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        // A pair judged twice keeps its highest grade.
        forQuery[document] = Math.Max(gain, forQuery.GetValueOrDefault(document, int.MinValue));
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Freeze(Dictionary<string, Dictionary<string, int>> judgements) =>
        judgements.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)p.Value, StringComparer.Ordinal);

    // Whitespace-separated columns; blank lines are skipped (cranqrel ends with two).
    private static void ReadColumns(string path, int minimum, Action<string[], string> row)
    {
        RequireFile(path);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            var where = $"{path}, line {lineNumber}";
            if (fields.Length < minimum)
            {
                throw new QuiverException($"{where}: expected at least {minimum} columns (query id, document id{(minimum > 2 ? ", grade" : string.Empty)}) but found '{line}'.");
            }

            row(fields, where);
        }
    }

    private static void ReadJsonLines(string path, Action<JsonElement, int> row)
    {
        RequireFile(path);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                row(document.RootElement, lineNumber);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new QuiverException($"{path}, line {lineNumber}: not a JSON object with \"_id\" and \"text\" ({e.Message}).", e);
            }
        }
    }

    private static string Id(JsonElement e) => e.GetProperty("_id") is { ValueKind: JsonValueKind.Number } n ? n.GetRawText() : e.GetProperty("_id").GetString()!;

    private static int ParseInt(string value, string where) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new QuiverException($"{where}: '{value}' is not an integer grade.");

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + "\n" + b;

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new QuiverException($"The retrieval file '{path}' does not exist.");
        }
    }
}
