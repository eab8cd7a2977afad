using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver embed --input FILE --output FILE</c> with the tiny word model and a synthetic BERT.</summary>
public sealed class BulkEmbedCliTests : IDisposable
{
    private static readonly string[] Words = ["the", "a", "whale", "ship", "sea", "frog", "cat", "dog", "moon", "stars", "bread", "soup", "king", "queen"];

    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Lines_become_npy_rows_in_order_equal_to_embedding_each_text()
    {
        var lines = Sentences(50, seed: 1);
        var input = Write("in.txt", lines);
        var output = Path.Combine(_cli.Root, "out.npy");

        var (code, stdout, error) = _cli.Run("embed", "--input", input, "--output", output, "--model", "tiny", "--window", "16", "--json");

        Assert.True(code == 0, error);
        var summary = Json(stdout);
        Assert.Equal(50, summary.GetProperty("records").GetInt32());
        Assert.Equal(8, summary.GetProperty("dimensions").GetInt32());
        Assert.Equal("tiny/sif", summary.GetProperty("model").GetString());
        Assert.True(summary.GetProperty("records_per_second").GetDouble() > 0);
        Assert.Equal(output + ".quiver-embed.json", summary.GetProperty("checkpoint").GetString());
        (code, stdout, error) = _cli.Run(["embed", .. lines, "--model", "tiny"]);
        Assert.True(code == 0, error);
        var expected = Json(stdout).GetProperty("embeddings").EnumerateArray().Select(e => e.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        Assert.Equal(expected, ReadNpy(output, 8));
    }

    [Fact]
    public void Csv_with_quotes_and_an_id_column_becomes_jsonl_with_ids()
    {
        var input = Write("in.csv", ["key,body", "k1,\"the whale, the sea\"", "k2,\"the \"\"cat\"\"", "and the dog\"", "k3,moon"]);
        var output = Path.Combine(_cli.Root, "out.jsonl");

        var (code, stdout, error) = _cli.Run("embed", "--input", input, "--column", "body", "--id-field", "key", "--output", output, "--model", "tiny");

        Assert.True(code == 0, error);
        Assert.Contains("embedded 3 records", stdout);
        var records = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["k1", "k2", "k3"], records.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([0, 1, 2], records.Select(r => r.GetProperty("index").GetInt32()));
        var renamed = Path.Combine(_cli.Root, "in.data");
        var again = Path.Combine(_cli.Root, "again.jsonl");
        File.Copy(input, renamed);
        (code, _, error) = _cli.Run("embed", "--input", renamed, "--format", "csv", "--column", "body", "--id-field", "key", "--output", again, "--model", "tiny");
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(output), File.ReadAllBytes(again));
        (code, stdout, _) = _cli.Run("embed", "the \"cat\"\nand the dog", "--model", "tiny");
        Assert.Equal(0, code);
        Assert.Equal(
            Json(stdout).GetProperty("embeddings")[0].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()),
            records[1].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Fact]
    public void A_jsonl_record_without_the_field_fails_naming_the_line_and_the_fix()
    {
        var input = Write("in.jsonl", ["{\"text\": \"the whale\"}", "{\"body\": \"the sea\"}"]);

        var (code, stdout, error) = _cli.Run("embed", "--input", input, "--output", Path.Combine(_cli.Root, "out.jsonl"), "--model", "tiny");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("line 2 has no \"text\" field (its fields: body). Name the field that holds the text (--field NAME).", Flat(error));
    }

    [Theory]
    [InlineData("--input", "in.txt")]
    [InlineData("--output", "out.npy")]
    public void Input_and_output_go_together(string option, string file)
    {
        Write("in.txt", ["the whale"]);
        var (code, _, error) = _cli.Run("embed", option, Path.Combine(_cli.Root, file), "--model", "tiny");
        Assert.Equal(1, code);
        Assert.Contains(option == "--input" ? "--input needs --output FILE" : "--output is for embedding a file: give it with --input FILE", Flat(error));
    }

    [Fact]
    public void Mixed_or_misplaced_options_are_refused_with_the_fix()
    {
        var input = Write("in.jsonl", ["{\"text\": \"the whale\"}"]);
        var output = Path.Combine(_cli.Root, "out.npy");

        Assert.Contains("Give texts to embed, or --input FILE, not both.", Flat(_cli.Run("embed", "the sea", "--input", input, "--output", output, "-m", "tiny").Error));
        Assert.Contains("--column is for CSV input; this input is read as jsonl: name its text field with --field", Flat(_cli.Run("embed", "--input", input, "--output", output, "--column", "body", "-m", "tiny").Error));
        Assert.Contains("The model 'tiny' is not a transformer and has no prompts", Flat(_cli.Run("embed", "--input", input, "--output", output, "--prompt", "query", "-m", "tiny").Error));
        Assert.Contains("Give one or more texts to embed", Flat(_cli.Run("embed", "-m", "tiny").Error));
        Assert.False(File.Exists(output));

        Assert.Equal(0, _cli.Run("embed", "--input", input, "--output", output, "-m", "tiny").Code);
        var (code, _, error) = _cli.Run("embed", "--input", input, "--output", output, "-m", "tiny");
        Assert.Equal(1, code);
        Assert.Contains("already exists (complete, 1 records). Continue an interrupted run with --resume, or replace it with --force.", Flat(error));
        Assert.Equal(0, _cli.Run("embed", "--input", input, "--output", output, "-m", "tiny", "--force").Code);
    }

    [Fact]
    public void Help_shows_a_bulk_example_and_the_real_defaults()
    {
        var (code, stdout, _) = _cli.Run("embed", "--help");

        Assert.Equal(0, code);
        Assert.Contains("quiver embed --input sentences.txt --output vectors.npy", stdout);
        Assert.Contains("--resume", stdout);
        Assert.Contains("[default: text]", stdout);
        Assert.Contains("[default: 1024]", stdout);
    }

    [Fact]
    public async Task A_killed_run_resumes_to_the_bytes_of_an_uninterrupted_one()
    {
        var bert = InstallBert();
        var input = Write("in.txt", Sentences(30_000, seed: 2));
        var whole = Path.Combine(_cli.Root, "whole.npy");
        var (code, _, error) = _cli.Run("embed", "--input", input, "--output", whole, "--model", bert, "--window", "64");
        Assert.True(code == 0, error);

        // The same command in a child process, checkpointing every window, killed (SIGKILL: no cleanup runs) once a few
        // windows are on disk.
        var output = Path.Combine(_cli.Root, "out.npy");
        var checkpoint = output + ".quiver-embed.json";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "quiver.dll"), "embed", "--input", input, "--output", output, "--model", bert, "--window", "64", "--checkpoint-seconds", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["QUIVER_HOME"] = _cli.Paths.Home;
        using (var child = Process.Start(start)!)
        {
            var drained = Task.WhenAll(child.StandardOutput.ReadToEndAsync(), child.StandardError.ReadToEndAsync());
            var clock = Stopwatch.StartNew();
            while (RecordsIn(checkpoint) < 64 * 3)
            {
                if (child.HasExited)
                {
                    Assert.Fail($"the run ended (exit {child.ExitCode}) before it could be killed: {(await drained)[1]}");
                }

                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "no checkpoint within 3 minutes");
                await Task.Delay(5);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            await drained;
        }

        var killedAt = RecordsIn(checkpoint);
        Assert.InRange(killedAt, 64 * 3, 30_000 - 1);
        (code, var stdout, error) = _cli.Run("embed", "--input", input, "--output", output, "--model", bert, "--window", "64", "--resume", "--json");

        Assert.True(code == 0, error);
        Assert.True(Json(stdout).GetProperty("resumed_records").GetInt64() >= killedAt);
        Assert.Equal(30_000, Json(stdout).GetProperty("records").GetInt64());
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(output));
    }

    [Fact]
    public void A_transformer_embeds_a_file_as_it_embeds_texts()
    {
        var bert = InstallBert();
        var lines = Sentences(40, seed: 3);
        lines[5] = string.Empty;
        var input = Write("in.txt", lines);
        var output = Path.Combine(_cli.Root, "out.npy");

        var (code, _, error) = _cli.Run("embed", "--input", input, "--output", output, "--model", bert, "--window", "7");
        Assert.True(code == 0, error);

        AssertRowsAre(Embedded(lines, bert), ReadNpy(output, 32));
    }

    // Errors are wrapped to the console's width.
    private static string Flat(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries));

    [Fact]
    public void Records_get_the_models_document_prompt_unless_another_is_asked_for()
    {
        var bert = InstallBert("""{"query": "the moon ", "document": "the sea "}""");
        var lines = Sentences(12, seed: 4);
        var input = Write("in.txt", lines);
        var output = Path.Combine(_cli.Root, "out.npy");

        var (code, stdout, error) = _cli.Run("embed", "--input", input, "--output", output, "--model", bert, "--json");
        Assert.True(code == 0, error);
        Assert.Equal("the sea ", Json(stdout).GetProperty("prompt").GetString());
        AssertRowsAre(Embedded(lines, bert, "--prompt", "document"), ReadNpy(output, 32));

        // A checkpoint made with one prompt cannot be continued with another.
        (code, _, error) = _cli.Run("embed", "--input", input, "--output", output, "--model", bert, "--prompt", "query", "--resume");
        Assert.Equal(1, code);
        Assert.Contains("it was embedded with prompt \"the sea \", truncation \"Truncate\", this run with prompt \"the moon \", truncation \"Truncate\"", Flat(error));

        (code, _, error) = _cli.Run("embed", "--input", input, "--output", output, "--model", bert, "--prompt", "query", "--force");
        Assert.True(code == 0, error);
        AssertRowsAre(Embedded(lines, bert, "--prompt", "query"), ReadNpy(output, 32));
        Assert.Contains("'bert' has no prompt named 'passage'", Flat(_cli.Run("embed", "--input", input, "--output", output, "--model", bert, "--prompt", "passage", "--force").Error));
    }

    private List<float[]> Embedded(string[] texts, params string[] options)
    {
        var (code, stdout, error) = _cli.Run(["embed", .. texts, "--model", .. options]);
        Assert.True(code == 0, error);
        return [.. Json(stdout).GetProperty("embeddings").EnumerateArray().Select(e => e.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray())];
    }

    // Texts batched differently (one window here, one call there) agree to float rounding, not bit for bit.
    private static void AssertRowsAre(List<float[]> expected, List<float[]> rows)
    {
        Assert.Equal(expected.Count, rows.Count);
        foreach (var (e, r) in expected.Zip(rows))
        {
            Assert.All(e.Zip(r), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
        }
    }

    private static long RecordsIn(string checkpoint)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(checkpoint)).RootElement.GetProperty("records").GetInt64();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            // Not written yet.
            return -1;
        }
    }

    private string InstallBert(string? prompts = null)
    {
        var tokens = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        tokens.AddRange(Words);
        var vocabulary = new WordPieceVocabulary(tokens);
        var folder = Path.Combine(_cli.Root, "tiny-bert");
        SyntheticBert.WriteFolder(folder, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 3 }, vocabulary, maxLength: 16);
        if (prompts is not null)
        {
            File.WriteAllText(Path.Combine(folder, "config_sentence_transformers.json"), $$"""{"prompts": {{prompts}}, "default_prompt_name": null}""");
        }

        var (code, _, error) = _cli.Run("models", "install", folder, "--name", "bert");
        Assert.True(code == 0, error);
        return "bert";
    }

    private static string[] Sentences(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, 1 + random.Next(10)).Select(_ => Words[random.Next(Words.Length)])))];
    }

    private static List<float[]> ReadNpy(string path, int dimensions)
    {
        var bytes = File.ReadAllBytes(path);
        var rows = new List<float[]>();
        for (var offset = 128; offset < bytes.Length; offset += dimensions * 4)
        {
            rows.Add([.. Enumerable.Range(0, dimensions).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset + (i * 4))))]);
        }

        return rows;
    }

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_cli.Root, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
