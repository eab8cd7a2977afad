using System.Text;
using System.Text.Json;

namespace Quiver.Models.Tests.Reference;

/// <summary>
/// Runs the Universal Sentence Encoder tokenizer reference (bench/peers/use/tokenize.mjs, npm
/// @tensorflow-models/universal-sentence-encoder pinned by its package-lock.json) on a vocab.json. Needs node and
/// npm on PATH; installs the peer's packages from the registry once.
/// </summary>
internal static class UseTokenizerJs
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The driver's folder: bench/peers/use under the repository root.</summary>
    public static string DriverFolder { get; } = Path.Combine(Quiver.Testing.Repository.Root, "bench", "peers", "use");

    private static readonly Quiver.Testing.NpmFolder Driver =
        new(DriverFolder, "@tensorflow-models/universal-sentence-encoder", "@tensorflow/tfjs-core", "@tensorflow/tfjs-converter");

    /// <summary>The reference's piece ids for each sentence, in order.</summary>
    public static int[][] Tokenize(string vocabJson, IReadOnlyList<string> sentences)
    {
        Driver.EnsureInstalled();
        var work = Path.Combine(Path.GetTempPath(), "quiver-use-tokenizer", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var input = Path.Combine(work, "input.jsonl");
            var output = Path.Combine(work, "ids.jsonl");
            File.WriteAllText(input, TransformersJs.ToJsonLines(sentences), Encoding.ASCII);
            var (exitCode, _, error) = TransformersJs.RunProcess(
                "node",
                [Path.Combine(DriverFolder, "tokenize.mjs"), "--vocab", Path.GetFullPath(vocabJson), "--input", input, "--out", output],
                DriverFolder,
                RunTimeout);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"The USE tokenizer reference (tokenize.mjs) exited with {exitCode}:\n{error}");
            }

            var ids = File.ReadAllLines(output).Select(line => JsonSerializer.Deserialize<int[]>(line)!).ToArray();
            if (ids.Length != sentences.Count)
            {
                throw new InvalidOperationException($"tokenize.mjs wrote piece ids for {ids.Length} sentences, expected {sentences.Count}.");
            }

            return ids;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
