namespace Quiver.Training.Tests;

/// <summary>Generated corpora whose structure the tests know.</summary>
internal static class SyntheticText
{
    /// <summary>
    /// Sentences that each draw their words from one of <paramref name="topics"/> disjoint groups (group g's words are
    /// "t{g}w{i}"), so words of one topic share contexts and words of different topics never meet.
    /// </summary>
    public static List<string[]> Topics(int topics, int wordsPerTopic, int sentences, int length, int seed)
    {
        var random = new Random(seed);
        var result = new List<string[]>(sentences);
        for (var s = 0; s < sentences; s++)
        {
            var topic = random.Next(topics);
            result.Add([.. Enumerable.Range(0, length).Select(_ => $"t{topic}w{random.Next(wordsPerTopic)}")]);
        }

        return result;
    }

    public static string WriteFile(string folder, IEnumerable<string[]> sentences)
    {
        var path = Path.Combine(folder, "corpus.txt");
        File.WriteAllLines(path, sentences.Select(s => string.Join(' ', s)));
        return path;
    }
}
