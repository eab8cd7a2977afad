using System.CommandLine;
using System.Text.Json;
using Quiver.Cli.Commands;

namespace Quiver.Cli.Tests;

/// <summary>
/// The glove sub-command, run as its own command object (it is not yet in the verb tree): it trains, installs the
/// model under -o, and the installed model answers the word verbs.
/// </summary>
public sealed class GloVeTrainCommandTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private (int Code, string Output, string Error) RunGlove(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(fixture.Paths, output, error, terminal: false);
        var root = new RootCommand { CliOptions.Json };
        root.Subcommands.Add(GloVeTrainCommand.Create(context));
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private string Corpus()
    {
        string[][] topics =
        [
            ["cat", "dog", "horse", "cow", "eats", "runs", "fur", "barn"],
            ["car", "bus", "truck", "van", "drives", "wheels", "road", "fuel"],
        ];
        var random = new Random(11);
        var lines = Enumerable.Range(0, 2000).Select(_ =>
        {
            var topic = topics[random.Next(2)];
            return string.Join(' ', Enumerable.Range(0, random.Next(6, 14)).Select(_ => random.Next(5) == 0 ? "the" : topic[random.Next(topic.Length)]));
        });
        var path = Path.Combine(fixture.Root, "corpus-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Glove_trains_installs_and_the_model_answers_similar()
    {
        var text = Path.Combine(fixture.Root, "glove-vectors.txt");
        var scratch = Directory.CreateDirectory(Path.Combine(fixture.Root, "scratch-" + Guid.NewGuid().ToString("N"))).FullName;

        var (code, output, error) = RunGlove(
            "glove", Corpus(), "-o", "mine", "--dim", "12", "--window", "5", "--epochs", "15", "--min-count", "1", "--x-max", "10",
            "--threads", "1", "--memory-mib", "0.002", "--temp", scratch, "--save-text", text, "--json");

        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("mine", json.GetProperty("model").GetString());
        Assert.Equal(17, json.GetProperty("words").GetInt32());
        Assert.True(json.GetProperty("spilled_runs").GetInt32() > 1);
        var costs = json.GetProperty("costs").EnumerateArray().Select(c => c.GetDouble()).ToList();
        Assert.True(costs[^1] < costs[0]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
        Assert.Equal(17, File.ReadLines(text).Count());
        Assert.Equal(13, File.ReadLines(text).First().Split(' ').Length);

        (code, output, error) = fixture.Run("similar", "cat", "--model", "mine", "-k", "3", "--json");
        Assert.True(code == 0, error);
        var neighbours = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(e => e.GetProperty("word").GetString()).ToList();
        Assert.DoesNotContain(neighbours, w => w is "car" or "bus" or "truck" or "van");

        (code, output, _) = fixture.Run("models", "list", "--json");
        Assert.Equal(0, code);
        Assert.Contains(JsonDocument.Parse(output).RootElement.GetProperty("installed").EnumerateArray(), m => m.GetProperty("name").GetString() == "mine");
    }

    [Fact]
    public void Glove_refuses_to_replace_an_installed_model_without_force()
    {
        var (code, _, error) = RunGlove("glove", Corpus(), "-o", "tiny", "--min-count", "1");

        Assert.NotEqual(0, code);
        Assert.Contains("tiny", error);
        Assert.Contains("--force", error);
    }

    [Fact]
    public void Glove_help_shows_an_example()
    {
        var (code, output, _) = RunGlove("glove", "--help");

        Assert.Equal(0, code);
        Assert.Contains("Example: quiver train glove", output);
        Assert.Contains("--memory-mib", output);
    }
}
