using Quiver.Analysis.Evaluation;
using Quiver.Core;

namespace Quiver.Analysis.Tests;

public sealed class EvaluationDataTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Analogies_are_grouped_by_section_and_lower_cased()
    {
        var path = _folder.Write("questions-words.txt", string.Join('\n',
            ": capital-common-countries",
            "Athens Greece Baghdad Iraq",
            "Athens  Greece\tBangkok Thailand",
            string.Empty,
            ":  gram3-comparative ",
            "   bad worse big bigger   "));

        var questions = EvaluationData.ReadAnalogies(path);

        Assert.Equal(
            [
                new AnalogyQuestion("capital-common-countries", "athens", "greece", "baghdad", "iraq"),
                new AnalogyQuestion("capital-common-countries", "athens", "greece", "bangkok", "thailand"),
                new AnalogyQuestion("gram3-comparative", "bad", "worse", "big", "bigger"),
            ],
            questions);
    }

    [Fact]
    public void Analogies_before_any_section_line_go_to_the_default_section()
    {
        var path = _folder.Write("a.txt", "man woman king queen\n:family\nBoy Girl Brother Sister\n");

        var questions = EvaluationData.ReadAnalogies(path);

        Assert.Equal(["default", "family"], questions.Select(q => q.Section));
        Assert.Equal("sister", questions[1].D);
    }

    [Theory]
    [InlineData("athens greece baghdad", 3)]
    [InlineData("athens greece baghdad iraq extra", 5)]
    public void Analogy_line_with_the_wrong_number_of_words_is_refused_naming_the_line(string line, int found)
    {
        var path = _folder.Write("bad.txt", $": capitals\nathens greece rome italy\n{line}\n");

        var e = Assert.Throws<QuiverException>(() => EvaluationData.ReadAnalogies(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains($"found {found}", e.Message, StringComparison.Ordinal);
        Assert.Contains(line, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Similarity_pairs_are_read_with_tabs_or_spaces()
    {
        var path = _folder.Write("wordsim.txt", string.Join('\n',
            "# Word 1\tWord 2\tHuman (mean)",
            "Tiger\tcat\t7.35",
            string.Empty,
            "book  paper   7.46",
            "money\tcash 9.15\textra column",
            "king queen 8.5e0",
            string.Empty));

        var pairs = EvaluationData.ReadSimilarityPairs(path);

        Assert.Equal(
            [("tiger", "cat", 7.35), ("book", "paper", 7.46), ("money", "cash", 9.15), ("king", "queen", 8.5)],
            pairs);
    }

    [Theory]
    [InlineData("tiger cat")]
    [InlineData("tiger cat high")]
    [InlineData("tiger cat 7,35")]
    public void Similarity_line_without_a_score_is_refused_naming_the_line(string line)
    {
        var path = _folder.Write("bad.txt", $"book paper 7.46\n\n{line}\n");

        var e = Assert.Throws<QuiverException>(() => EvaluationData.ReadSimilarityPairs(path));

        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains(line, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sts_reads_score_and_sentences_from_columns_five_to_seven()
    {
        var path = _folder.Write("sts-test.csv", string.Join('\n',
            "main-captions\tMSRvid\t2012test\t0000\t2.500\tA girl is styling her hair.\tA girl is brushing her hair.",
            "main-news\theadlines\t2013\t0001\t0.000\tSome \"quoted text without an end.\tOther's sentence\tsource-a\tsource-b",
            string.Empty,
            "main-forums\tdeft\t2014\t0002\t5\tA \"B\tC \"",
            string.Empty));

        var pairs = EvaluationData.ReadSts(path);

        Assert.Equal(
            [
                ("A girl is styling her hair.", "A girl is brushing her hair.", 2.5),
                ("Some \"quoted text without an end.", "Other's sentence", 0.0),
                ("A \"B", "C \"", 5.0),
            ],
            pairs);
    }

    [Fact]
    public void Sts_does_not_lower_case_sentences()
    {
        var path = _folder.Write("sts.csv", "g\tf\ty\t1\t3.2\tThe Cat.\tA DOG.\n");
        Assert.Equal([("The Cat.", "A DOG.", 3.2)], EvaluationData.ReadSts(path));
    }

    [Theory]
    [InlineData("main-captions\tMSRvid\t2012test\t0000\t2.500\tOnly one sentence.")]
    [InlineData("main-captions MSRvid 2012test 0000 2.500 Spaces are not separators. Here.")]
    [InlineData("main-captions\tMSRvid\t2012test\t0000\tgood\tA.\tB.")]
    public void Sts_line_without_seven_columns_and_a_score_is_refused_naming_the_line(string line)
    {
        var path = _folder.Write("sts.csv", $"g\tf\ty\t1\t3.2\tA.\tB.\n{line}\n");

        var e = Assert.Throws<QuiverException>(() => EvaluationData.ReadSts(path));

        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("7 TAB-separated columns", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analogies")]
    [InlineData("similarity")]
    [InlineData("sts")]
    public void Missing_file_is_refused_naming_the_path(string reader)
    {
        var path = Path.Combine(_folder.Path, "missing.txt");

        var e = Assert.Throws<QuiverException>(() => reader switch
        {
            "analogies" => (object)EvaluationData.ReadAnalogies(path),
            "similarity" => EvaluationData.ReadSimilarityPairs(path),
            _ => EvaluationData.ReadSts(path),
        });

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_files_give_no_entries()
    {
        var path = _folder.Write("empty.txt", "\n\n");
        Assert.Empty(EvaluationData.ReadAnalogies(path));
        Assert.Empty(EvaluationData.ReadSimilarityPairs(path));
        Assert.Empty(EvaluationData.ReadSts(path));
    }

    [Fact]
    public void Image_labels_resolve_files_against_the_csv_folder()
    {
        var path = _folder.Write("labels.csv", "file,label,class_name\npng/a_0.png,0,T-shirt\npng/b_9.png,9,Ankle_boot\n");
        var items = EvaluationData.ReadImageLabels(path);
        Assert.Equal([(Path.Combine(_folder.Path, "png", "a_0.png"), 0), (Path.Combine(_folder.Path, "png", "b_9.png"), 9)], items);

        var bad = _folder.Write("bad.csv", "file,label\npng/a.png,shirt\n");
        var error = Assert.Throws<QuiverException>(() => EvaluationData.ReadImageLabels(bad));
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Digits_are_read_from_the_gzipped_csv()
    {
        var path = Path.Combine(_folder.Path, "digits.csv.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
        {
            writer.WriteLine(string.Join(',', Enumerable.Range(0, 64).Select(i => i % 17)) + ",7");
        }

        var digit = Assert.Single(EvaluationData.ReadDigits(path));
        Assert.Equal(7, digit.Label);
        Assert.Equal(16, digit.Pixels[16]);
        Assert.Equal(0, digit.Pixels[17]);

        var bad = Path.Combine(_folder.Path, "bad.csv.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(bad), System.IO.Compression.CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
        {
            writer.WriteLine("1,2,3");
        }

        Assert.Contains("65 comma-separated", Assert.Throws<QuiverException>(() => EvaluationData.ReadDigits(bad)).Message);
    }
}
