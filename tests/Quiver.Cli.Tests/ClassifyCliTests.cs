using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver classify train|predict|list</c> and <c>quiver eval classify</c> with the tiny word model.</summary>
public sealed class ClassifyCliTests : IDisposable
{
    private static readonly (string Text, string Label)[] Rows =
    [
        ("the frog", "animal"), ("a toad", "animal"), ("the cat", "animal"), ("a dog", "animal"), ("the whale", "animal"), ("a cat and a dog", "animal"),
        ("the rocket", "space"), ("the moon", "space"), ("the stars", "space"), ("a rocket to the moon", "space"), ("moon and stars", "space"), ("the rocket at the stars", "space"),
        ("bread", "food"), ("the soup", "food"), ("bread and soup", "food"), ("a soup of bread", "food"), ("the bread", "food"), ("soup at the table", "food"),
    ];

    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Csv(string name, IEnumerable<(string Text, string Label)> rows, string header = "text,label")
    {
        var path = Path.Combine(_cli.Root, name);
        File.WriteAllLines(path, [header, .. rows.Select(r => $"\"{r.Text}\",{r.Label}")]);
        return path;
    }

    private string Classifiers => Path.Combine(_cli.Paths.Home, "classifiers");

    [Theory]
    [InlineData("logistic")]
    [InlineData("knn")]
    public void A_trained_classifier_labels_new_texts_with_probabilities(string method)
    {
        var train = _cli.Run("classify", "train", Csv("train.csv", Rows), "-m", "tiny", "-o", "topics", "--method", method, "-k", "3", "--json");
        Assert.True(train.Code == 0, train.Error);
        Assert.Equal(18, Json(train.Output).GetProperty("rows").GetInt32());

        var (code, stdout, error) = _cli.Run("classify", "predict", "topics", "a whale and a frog", "stars over the moon", "--top", "3", "--json");

        Assert.True(code == 0, error);
        var predictions = Json(stdout).GetProperty("predictions");
        Assert.Equal("animal", predictions[0].GetProperty("label").GetString());
        Assert.Equal("space", predictions[1].GetProperty("label").GetString());
        foreach (var prediction in predictions.EnumerateArray())
        {
            var top = prediction.GetProperty("top").EnumerateArray().Select(p => p.GetProperty("probability").GetDouble()).ToList();
            Assert.Equal(3, top.Count);
            Assert.Equal(1.0, top.Sum(), 6);
            Assert.True(top[0] >= top[1] && top[1] >= top[2]);
        }

        var list = _cli.Run("classify", "list", "--json");
        Assert.Equal("topics", Json(list.Output)[0].GetProperty("name").GetString());
        Assert.Equal(method, Json(list.Output)[0].GetProperty("method").GetString());
    }

    [Fact]
    public void Predict_reads_texts_from_a_file_and_prints_a_table()
    {
        Assert.Equal(0, _cli.Run("classify", "train", Csv("train.csv", Rows), "-m", "tiny", "-o", "topics").Code);
        var texts = Path.Combine(_cli.Root, "texts.txt");
        File.WriteAllLines(texts, ["bread and soup", "the toad"]);

        var (code, stdout, error) = _cli.Run("classify", "predict", "topics", "--input", texts);

        Assert.True(code == 0, error);
        Assert.Contains("food", stdout);
        Assert.Contains("animal", stdout);
    }

    [Fact]
    public void A_single_class_is_refused_and_nothing_is_saved()
    {
        var (code, _, error) = _cli.Run("classify", "train", Csv("one.csv", Rows.Where(r => r.Label == "food")), "-m", "tiny", "-o", "topics");

        Assert.Equal(1, code);
        Assert.Contains("at least two different labels", error);
        Assert.Contains("'food'", error);
        Assert.False(Directory.Exists(Path.Combine(Classifiers, "topics")));
    }

    [Fact]
    public void A_file_without_the_named_column_is_refused_with_the_columns_it_has()
    {
        var (code, _, error) = _cli.Run("classify", "train", Csv("t.csv", Rows, "sentence,label"), "-m", "tiny", "-o", "topics");
        var label = _cli.Run("classify", "train", Csv("t2.csv", Rows), "-m", "tiny", "-o", "topics", "--label-column", "intent");

        Assert.Equal(1, code);
        Assert.Contains("no column 'text'", error);
        Assert.Contains("sentence, label", error);
        Assert.Contains("--text-column", error);
        Assert.Equal(1, label.Code);
        Assert.Contains("no column 'intent'", label.Error);
        Assert.False(Directory.Exists(Classifiers) && Directory.EnumerateFileSystemEntries(Classifiers).Any());
    }

    [Fact]
    public void Another_model_empty_text_and_an_unknown_classifier_are_refused_by_name()
    {
        Assert.Equal(0, _cli.Run("models", "install", "tiny2", "--file", _cli.VectorsFile).Code);
        Assert.Equal(0, _cli.Run("classify", "train", Csv("train.csv", Rows), "-m", "tiny", "-o", "topics").Code);

        var other = _cli.Run("classify", "predict", "topics", "the frog", "-m", "tiny2");
        var empty = _cli.Run("classify", "predict", "topics", "the frog", "  ");
        var unknown = _cli.Run("classify", "predict", "topcs", "the frog");

        Assert.Equal(1, other.Code);
        Assert.Contains("'topics' was trained on vectors of tiny/sif@", other.Error);
        Assert.Contains("these vectors are of tiny2/sif@", other.Error);
        Assert.Equal(1, empty.Code);
        Assert.Contains("text 2 is empty", empty.Error);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("no classifier named 'topcs'", unknown.Error);
        Assert.Contains("saved: topics", unknown.Error);
    }

    [Fact]
    public void An_existing_classifier_is_kept_unless_forced_and_empty_training_texts_are_refused()
    {
        var csv = Csv("train.csv", Rows);
        Assert.Equal(0, _cli.Run("classify", "train", csv, "-m", "tiny", "-o", "topics").Code);
        var manifest = Path.Combine(Classifiers, "topics", "classifier.json");
        var before = File.ReadAllText(manifest);

        var again = _cli.Run("classify", "train", csv, "-m", "tiny", "-o", "topics", "--method", "knn");
        var emptyRow = _cli.Run("classify", "train", Csv("gap.csv", [.. Rows, ("", "food")]), "-m", "tiny", "-o", "gap");

        Assert.Equal(1, again.Code);
        Assert.Contains("--force", again.Error);
        Assert.Equal(before, File.ReadAllText(manifest));
        Assert.Equal(1, emptyRow.Code);
        Assert.Contains("empty text", emptyRow.Error);
        Assert.False(Directory.Exists(Path.Combine(Classifiers, "gap")));

        Assert.Equal(0, _cli.Run("classify", "train", csv, "-m", "tiny", "-o", "topics", "--method", "knn", "--force").Code);
        Assert.Contains("\"knn\"", File.ReadAllText(manifest));
    }

    [Fact]
    public void Eval_classify_cross_validates_every_method_and_scores_a_test_file()
    {
        var csv = Csv("train.csv", Rows);
        var descriptions = Path.Combine(_cli.Root, "descriptions.csv");
        File.WriteAllLines(descriptions, ["label,description", "animal,the cat and the dog", "space,the moon and the stars", "food,bread and soup"]);
        var (code, stdout, error) = _cli.Run("eval", "classify", csv, "-m", "tiny", "--folds", "3", "-k", "3", "--descriptions", descriptions, "--json");

        Assert.True(code == 0, error);
        var result = Json(stdout);
        Assert.Equal(3, result.GetProperty("folds").GetInt32());
        var methods = result.GetProperty("methods").EnumerateArray().ToDictionary(m => m.GetProperty("method").GetString()!, m => m.GetProperty("accuracy").GetDouble());
        Assert.Equal(["logistic", "knn", "zero-shot"], methods.Keys);
        Assert.True(methods["logistic"] >= 0.8, $"logistic {methods["logistic"]}");
        Assert.True(methods["knn"] >= 0.8, $"knn {methods["knn"]}");
        Assert.True(methods["zero-shot"] >= 0.8, $"zero-shot {methods["zero-shot"]}");

        var test = Csv("test.csv", [("a frog at sea", "animal"), ("bread", "food"), ("rocket", "space")]);
        var tested = _cli.Run("eval", "classify", csv, "--test", test, "-m", "tiny", "--method", "logistic", "--json");
        Assert.True(tested.Code == 0, tested.Error);
        Assert.Equal(3, Json(tested.Output).GetProperty("test_rows").GetInt32());
        Assert.Equal(1.0, Json(tested.Output).GetProperty("methods")[0].GetProperty("accuracy").GetDouble());

        var unseen = _cli.Run("eval", "classify", csv, "--test", Csv("unseen.csv", [("the ship", "boats")]), "-m", "tiny", "--method", "knn");
        var badMethod = _cli.Run("eval", "classify", csv, "-m", "tiny", "--method", "svm");
        Assert.Equal(1, unseen.Code);
        Assert.Contains("'boats', which no training row has", unseen.Error);
        Assert.Equal(1, badMethod.Code);
        Assert.Contains("'svm' is not a classification method", badMethod.Error);
    }
}
