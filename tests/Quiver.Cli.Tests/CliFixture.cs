using System.Globalization;
using System.Text;
using Quiver.Core;

namespace Quiver.Cli.Tests;

/// <summary>
/// A QUIVER_HOME with a tiny word-vector model ("tiny") registered through the CLI, and helpers to run the CLI
/// in-process and capture what it prints.
/// </summary>
public sealed class CliFixture : IDisposable
{
    public CliFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "quiver-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Paths = new QuiverPaths(Path.Combine(Root, "home"));
        VectorsFile = Path.Combine(Root, "tiny.txt");
        File.WriteAllText(VectorsFile, TinyVectors());
        var (code, _, error) = Run("models", "install", "tiny", "--file", VectorsFile);
        if (code != 0)
        {
            throw new InvalidOperationException("could not register the tiny model: " + error);
        }
    }

    public string Root { get; }

    public QuiverPaths Paths { get; }

    public string VectorsFile { get; }

    /// <summary>A command's --json output, parsed.</summary>
    public static System.Text.Json.JsonElement Json(string output) => System.Text.Json.JsonDocument.Parse(output).RootElement;

    public (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = QuiverCli.RunAsync(args, new CliContext(Paths, output, error, terminal: false)).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Leftover scratch files never fail a test.
        }
    }

    // Eight dimensions built from a few meaning directions, so neighbours and analogies have known answers.
    private static string TinyVectors()
    {
        var directions = new Dictionary<string, float[]>
        {
            ["royal"] = [1, 0, 0, 0, 0, 0, 0, 0],
            ["male"] = [0, 1, 0, 0, 0, 0, 0, 0],
            ["female"] = [0, 0, 1, 0, 0, 0, 0, 0],
            ["animal"] = [0, 0, 0, 1, 0, 0, 0, 0],
            ["water"] = [0, 0, 0, 0, 1, 0, 0, 0],
            ["food"] = [0, 0, 0, 0, 0, 1, 0, 0],
            ["common"] = [0, 0, 0, 0, 0, 0, 1, 0],
            ["space"] = [0, 0, 0, 0, 0, 0, 0, 1],
        };
        var words = new (string Word, string[] Parts)[]
        {
            ("the", ["common"]), ("a", ["common"]), ("of", ["common"]), (".", ["common"]), ("at", ["common"]),
            ("king", ["royal", "male"]), ("queen", ["royal", "female"]), ("man", ["male"]), ("woman", ["female"]),
            ("prince", ["royal", "male", "common"]), ("frog", ["animal", "water"]), ("toad", ["animal", "water"]),
            ("cat", ["animal"]), ("dog", ["animal", "common"]), ("whale", ["animal", "water", "water"]), ("sea", ["water"]),
            ("ship", ["water", "common"]), ("hunting", ["animal", "food"]), ("bread", ["food"]), ("soup", ["food", "water"]),
            ("rocket", ["space"]), ("moon", ["space", "common"]), ("stars", ["space", "space", "common"]),
        };
        var random = new Random(5);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{words.Length} 8\n");
        foreach (var (word, parts) in words)
        {
            var v = new float[8];
            foreach (var part in parts)
            {
                for (var i = 0; i < 8; i++)
                {
                    v[i] += directions[part][i];
                }
            }

            text.Append(word);
            foreach (var x in v)
            {
                text.Append(' ').Append((x + ((random.NextDouble() - 0.5) * 0.02)).ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
