using Quiver.Training.Corpus;

namespace Quiver.Training.Tests;

public sealed class TextFileCorpusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-corpus-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void Parts_together_hold_every_sentence_once(int parts)
    {
        var random = new Random(5);
        var lines = Enumerable.Range(0, 200)
            .Select(i => string.Join(random.Next(3) == 0 ? "  \t" : " ", Enumerable.Range(0, random.Next(0, 12)).Select(j => $"w{i}_{j}é")))
            .ToList();
        var path = Path.Combine(_folder, "corpus.txt");
        File.WriteAllText(path, string.Join("\n", lines) + (parts % 2 == 0 ? "\n" : ""));
        var expected = lines.Where(l => l.Trim().Length > 0).Select(l => string.Join(' ', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))).ToList();

        var corpus = new TextFileCorpus(path);
        var read = Enumerable.Range(0, parts).SelectMany(p => corpus.Read(p, parts).Select(s => string.Join(' ', s))).ToList();

        Assert.Equal(expected, read);
    }

    [Fact]
    public void A_line_longer_than_the_limit_becomes_several_sentences()
    {
        var path = Path.Combine(_folder, "long.txt");
        File.WriteAllText(path, string.Join(' ', Enumerable.Range(0, 2500).Select(i => $"t{i}")) + "\nlast line\n");

        var sentences = new TextFileCorpus(path).Read(0, 1).Select(s => s.ToList()).ToList();

        Assert.Equal([1000, 1000, 500, 2], sentences.Select(s => s.Count));
        Assert.Equal("t1000", sentences[1][0]);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var missing = Path.Combine(_folder, "nope.txt");
        var error = Assert.Throws<FileNotFoundException>(() => new TextFileCorpus(missing));
        Assert.Contains("nope.txt", error.Message);
    }
}
