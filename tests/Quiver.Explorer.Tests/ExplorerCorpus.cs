using System.Globalization;
using Quiver.Core;
using Quiver.Catalogue;

namespace Quiver.Explorer.Tests;

/// <summary>
/// A Quiver home for the browser tests: word vectors "words" whose words form three topics (each topic's words near
/// its own centre, so the map shows three groups), and the texts of a collection built from them: sentences of one
/// topic each, with the topic and a number as payload. One sentence alone holds the word "harpoon".
/// </summary>
internal static class ExplorerCorpus
{
    public const string Model = "words";

    public static readonly string[] Topics = ["sea", "pond", "kitchen"];

    public static readonly string[][] TopicWords =
    [
        ["whale", "ship", "sails", "ocean", "waves", "captain", "harbour", "tide"],
        ["frog", "lily", "reeds", "toad", "newt", "ripple", "heron", "mud"],
        ["bread", "oven", "flour", "knead", "dough", "butter", "crust", "yeast"],
    ];

    /// <summary>The word only the harpoon sentence holds, for a keyword search with one right answer.</summary>
    public const string RareWord = "harpoon";

    public static void InstallModel(string root, QuiverPaths paths)
    {
        var random = new Random(5);
        var lines = new List<string>();
        for (var t = 0; t < Topics.Length; t++)
        {
            var centre = Enumerable.Range(0, 16).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            foreach (var word in TopicWords[t].Append(Topics[t]).Concat(t == 0 ? [RareWord] : []))
            {
                var vector = centre.Select(c => c + ((random.NextDouble() - 0.5) * 0.6));
                lines.Add(word + " " + string.Join(' ', vector.Select(x => x.ToString("F4", CultureInfo.InvariantCulture))));
            }
        }

        var file = Path.Combine(root, "words.txt");
        File.WriteAllLines(file, lines);
        new ModelInstaller(paths).InstallFromFile(Model, file, format: null, force: false, progress: null);
    }

    /// <summary>Point i's text and payload: topic i % 3, four of its words; point <see cref="HarpoonId"/> also holds the rare word.</summary>
    public static (string Text, object Payload) Point(int id)
    {
        var topic = id % Topics.Length;
        var random = new Random(id);
        var words = Enumerable.Range(0, 4).Select(_ => TopicWords[topic][random.Next(TopicWords[topic].Length)]).ToList();
        if (id == HarpoonId)
        {
            words.Add(RareWord);
        }

        return (string.Join(' ', words), new { topic = Topics[topic], n = id });
    }

    public const int HarpoonId = 42;
}
