using System.Globalization;
using Quiver.Core;

namespace Quiver.Analysis.Evaluation;

/// <summary>Readers for the standard evaluation files (Google analogies, word-similarity lists, STS Benchmark).</summary>
public static class EvaluationData
{
    /// <summary>The Google analogy format: ": section" lines, then "a b c d" lines. Words are lower-cased.</summary>
    public static IReadOnlyList<AnalogyQuestion> ReadAnalogies(string path)
    {
        RequireFile(path);
        var questions = new List<AnalogyQuestion>();
        var section = "default";
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith(':'))
            {
                section = line[1..].Trim();
                continue;
            }

            var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 4)
            {
                throw new QuiverException($"{path}, line {lineNumber}: expected 4 words \"a b c d\" but found {words.Length}: '{line}'.");
            }

            questions.Add(new AnalogyQuestion(section, Lower(words[0]), Lower(words[1]), Lower(words[2]), Lower(words[3])));
        }

        return questions;
    }

    /// <summary>"word1 word2 score" per line, separated by tabs or spaces; words lower-cased.</summary>
    public static IReadOnlyList<(string First, string Second, double Score)> ReadSimilarityPairs(string path)
    {
        RequireFile(path);
        var pairs = new List<(string, string, double)>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3 || !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            {
                throw new QuiverException($"{path}, line {lineNumber}: expected \"word1<TAB>word2<TAB>score\" but found '{line}'.");
            }

            pairs.Add((Lower(fields[0]), Lower(fields[1]), score));
        }

        return pairs;
    }

    /// <summary>
    /// STS Benchmark: TAB-separated, the gold score in column 5 and the sentences in columns 6 and 7. Some lines carry
    /// extra trailing columns, and sentences hold unbalanced quotes, so the line is split on tabs only.
    /// </summary>
    public static IReadOnlyList<(string First, string Second, double Score)> ReadSts(string path)
    {
        RequireFile(path);
        var pairs = new List<(string, string, double)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 7 || !double.TryParse(fields[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            {
                throw new QuiverException(
                    $"{path}, line {lineNumber}: expected at least 7 TAB-separated columns with the score in column 5 (STS Benchmark layout).");
            }

            pairs.Add((fields[5], fields[6], score));
        }

        return pairs;
    }

    /// <summary>
    /// A labelled image folder's index: CSV with a header whose first two columns are the file (relative to the CSV's
    /// folder) and an integer label, as ../shared/data/images/fashion-mnist/labels.csv has.
    /// </summary>
    public static IReadOnlyList<(string Path, int Label)> ReadImageLabels(string path)
    {
        RequireFile(path);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var items = new List<(string, int)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (lineNumber++ == 0 || line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length < 2 || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var label))
            {
                throw new QuiverException($"{path}, line {lineNumber}: expected \"file,label,...\" with an integer label but found '{line}'.");
            }

            items.Add((System.IO.Path.Combine(folder, fields[0]), label));
        }

        return items;
    }

    /// <summary>
    /// scikit-learn's digits.csv.gz: one row per 8×8 digit, 64 grey values from 0 to 16 row-major, then the label.
    /// </summary>
    public static IReadOnlyList<(byte[] Pixels, int Label)> ReadDigits(string path)
    {
        RequireFile(path);
        using var file = File.OpenRead(path);
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var digits = new List<(byte[], int)>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            var pixels = new byte[64];
            if (fields.Length != 65 || !int.TryParse(fields[64], NumberStyles.Integer, CultureInfo.InvariantCulture, out var label)
                || !fields.Take(64).Select((f, i) => byte.TryParse(f, NumberStyles.Integer, CultureInfo.InvariantCulture, out pixels[i]) && pixels[i] <= 16).All(ok => ok))
            {
                throw new QuiverException($"{path}, line {lineNumber}: expected 64 grey values from 0 to 16 and a label (65 comma-separated integers).");
            }

            digits.Add((pixels, label));
        }

        return digits;
    }

    private static string Lower(string s) => s.ToLowerInvariant();

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            // The caller knows how its user names the file (an argument, a --data folder), so it words the fix.
            throw new QuiverException($"The evaluation file '{path}' does not exist.");
        }
    }
}
