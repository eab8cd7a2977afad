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

    private static string Lower(string s) => s.ToLowerInvariant();

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new QuiverException($"The evaluation file '{path}' does not exist. Pass --data <folder> pointing at the evaluation data (for example ../shared/data).");
        }
    }
}
