using System.Text;
using Quiver.Training.Corpus;
using Quiver.Training.GloVe;

namespace Quiver.Training.Tests;

/// <summary>Generated corpora for the GloVe tests, and a way to count one into merged records.</summary>
internal static class GloVeFixtures
{
    public static TextFileCorpus Write(string folder, string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return new TextFileCorpus(path);
    }

    /// <summary>Zipf-like random sentences over <paramref name="words"/> words, so some pairs repeat often and most rarely.</summary>
    public static IEnumerable<string> RandomSentences(int seed, int sentences, int words)
    {
        var random = new Random(seed);
        for (var s = 0; s < sentences; s++)
        {
            var length = random.Next(1, 25);
            yield return string.Join(' ', Enumerable.Range(0, length).Select(_ => $"w{(int)(words * Math.Pow(random.NextDouble(), 3))}"));
        }
    }

    /// <summary>
    /// Sentences about animals or vehicles: each sentence draws every word from one topic's nouns and verbs, with
    /// shared function words, so nouns of a topic share contexts and nouns of different topics do not.
    /// </summary>
    public static IEnumerable<string> TopicSentences(int seed, int sentences)
    {
        string[][] topics =
        [
            ["cat", "dog", "horse", "cow", "eats", "runs", "fur", "barn", "grass"],
            ["car", "bus", "truck", "van", "drives", "wheels", "road", "fuel", "garage"],
        ];
        string[] common = ["the", "a", "and", "of"];
        var random = new Random(seed);
        for (var s = 0; s < sentences; s++)
        {
            var topic = topics[random.Next(topics.Length)];
            var length = random.Next(6, 16);
            yield return string.Join(' ', Enumerable.Range(0, length).Select(_ => random.Next(4) == 0 ? common[random.Next(common.Length)] : topic[random.Next(topic.Length)]));
        }
    }

    /// <summary>Counts a corpus into merged records keyed by (word, context) text.</summary>
    public static Dictionary<(string Word, string Context), double> Count(
        ISentenceCorpus corpus, string scratch, int window = 2, bool symmetric = true, int minCount = 1, int threads = 1, long memoryBytes = 1 << 20)
    {
        var (vocabulary, records, _) = CountRecords(corpus, scratch, window, symmetric, minCount, threads, memoryBytes);
        return records.ToDictionary(r => (vocabulary.Words[r.Word], vocabulary.Words[r.Context]), r => r.Value);
    }

    public static (GloVeVocabulary Vocabulary, List<CooccurrenceRecord> Records, int Runs) CountRecords(
        ISentenceCorpus corpus, string scratch, int window, bool symmetric, int minCount, int threads, long memoryBytes)
    {
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "count-" + Guid.NewGuid().ToString("N"))).FullName;
        var vocabulary = GloVeVocabulary.Build(corpus, minCount, 0, threads, null, CancellationToken.None);
        var runs = CooccurrenceCounter.Count(corpus, vocabulary, window, symmetric, distanceWeighting: true, threads, memoryBytes, folder, null, CancellationToken.None);
        var merged = Path.Combine(folder, "merged.bin");
        RunMerger.Merge(runs, merged, memoryBytes, null, CancellationToken.None);
        var records = RecordFile.ReadBlocks(merged).SelectMany(b => b).ToList();
        return (vocabulary, records, runs.Count);
    }
}
