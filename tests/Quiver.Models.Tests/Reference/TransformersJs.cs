using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Quiver.Models.Tests.Reference;

/// <summary>
/// Runs the transformers.js reference (bench/peers/transformersjs/embed.mjs, npm @huggingface/transformers pinned
/// by its package-lock.json) on a local model folder, so encoder tests can compare Quiver's token ids and
/// embeddings with it. Needs node and npm on PATH; installs the peer's packages from the registry once.
/// </summary>
internal static class TransformersJs
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The driver's folder: bench/peers/transformersjs under the repository root.</summary>
    public static string DriverFolder { get; } = Path.Combine(Quiver.Testing.Repository.Root, "bench", "peers", "transformersjs");

    private static readonly Quiver.Testing.NpmFolder Driver = new(DriverFolder, "@huggingface/transformers", "onnxruntime-node");

    /// <summary>Runs <c>npm ci</c> in <see cref="DriverFolder"/> unless the locked versions are installed already.</summary>
    public static void EnsureInstalled() => Driver.EnsureInstalled();

    /// <summary>
    /// Tokenises and embeds <paramref name="sentences"/> with transformers.js in batches of <paramref name="batch"/>
    /// (padded to each batch's longest, truncated at the tokenizer's model_max_length or <paramref name="maxLength"/>).
    /// </summary>
    /// <param name="pooling">"mean", "cls" or "none" (no embeddings come back).</param>
    public static TransformersJsResult Run(
        string modelFolder,
        IReadOnlyList<string> sentences,
        string pooling,
        bool normalize,
        int batch = 32,
        int threads = 1,
        int? maxLength = null)
    {
        List<string> options = ["--pooling", pooling, "--threads", threads.ToString(CultureInfo.InvariantCulture)];
        if (normalize)
        {
            options.Add("--normalize");
        }

        return Invoke(modelFolder, sentences, batch, maxLength, options);
    }

    /// <summary>Only transformers.js's token ids (the folder needs no ONNX model): <c>--tokens-only</c>.</summary>
    public static TransformersJsResult Tokenize(
        string modelFolder, IReadOnlyList<string> sentences, int batch = 32, int? maxLength = null) =>
        Invoke(modelFolder, sentences, batch, maxLength, ["--tokens-only"]);

    private static TransformersJsResult Invoke(
        string modelFolder, IReadOnlyList<string> sentences, int batch, int? maxLength, List<string> options)
    {
        EnsureInstalled();
        var work = Path.Combine(Path.GetTempPath(), "quiver-transformersjs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var input = Path.Combine(work, "input.jsonl");
            File.WriteAllText(input, ToJsonLines(sentences), Encoding.ASCII);
            var prefix = Path.Combine(work, "out");
            List<string> arguments =
            [
                Path.Combine(DriverFolder, "embed.mjs"),
                "--model", Path.GetFullPath(modelFolder),
                "--input", input,
                "--out", prefix,
                "--batch", batch.ToString(CultureInfo.InvariantCulture),
                "--no-warmup",
                .. options,
            ];
            if (maxLength is { } length)
            {
                arguments.AddRange(["--max-length", length.ToString(CultureInfo.InvariantCulture)]);
            }

            var (exitCode, _, error) = RunProcess("node", arguments, DriverFolder, RunTimeout);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"transformers.js (embed.mjs) exited with {exitCode}:\n{error}");
            }

            var summary = ReadSummary(prefix + ".json");
            var tokenIds = File.ReadAllLines(prefix + ".tokens.jsonl")
                .Select(line => JsonSerializer.Deserialize<int[]>(line)!)
                .ToArray();
            if (tokenIds.Length != sentences.Count)
            {
                throw new InvalidOperationException(
                    $"transformers.js wrote token ids for {tokenIds.Length} sentences, expected {sentences.Count}.");
            }

            var vectors = prefix + ".f32";
            var embeddings = File.Exists(vectors) ? ReadEmbeddings(vectors, sentences.Count, summary.Dimensions) : null;
            return new TransformersJsResult(tokenIds, embeddings, summary);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // Every non-ASCII UTF-16 unit as \uXXXX, so lone surrogates reach JSON.parse as they are.
    internal static string ToJsonLines(IReadOnlyList<string> sentences)
    {
        var text = new StringBuilder();
        foreach (var sentence in sentences)
        {
            text.Append('"');
            foreach (var c in sentence)
            {
                switch (c)
                {
                    case '"':
                        text.Append("\\\"");
                        break;
                    case '\\':
                        text.Append("\\\\");
                        break;
                    case < ' ' or > '~':
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        break;
                    default:
                        text.Append(c);
                        break;
                }
            }

            text.Append("\"\n");
        }

        return text.ToString();
    }

    private static TransformersJsSummary ReadSummary(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        int? OptionalInt(string name) =>
            root.GetProperty(name).ValueKind == JsonValueKind.Null ? null : root.GetProperty(name).GetInt32();
        var perSecond = root.GetProperty("sentences_per_second");
        var versions = root.GetProperty("versions");
        return new TransformersJsSummary(
            root.GetProperty("sentences").GetInt32(),
            OptionalInt("dimensions"),
            root.GetProperty("tokens").GetInt64(),
            root.GetProperty("padded_tokens").GetInt64(),
            root.GetProperty("seconds_model").GetDouble(),
            root.GetProperty("seconds_total").GetDouble(),
            perSecond.ValueKind == JsonValueKind.Null ? null : perSecond.GetDouble(),
            root.GetProperty("threads").GetInt32(),
            root.GetProperty("batch").GetInt32(),
            OptionalInt("max_length"),
            versions.GetProperty("transformers.js").GetString()!,
            versions.GetProperty("onnxruntime-node").GetString()!);
    }

    private static float[][] ReadEmbeddings(string path, int count, int? dimensions)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("embed.mjs writes little-endian float32; this machine is big-endian.");
        }

        var bytes = File.ReadAllBytes(path);
        var values = MemoryMarshal.Cast<byte, float>(bytes);
        if (dimensions is not { } d || values.Length != count * d)
        {
            throw new InvalidOperationException(
                $"{path} holds {values.Length} floats, expected {count} sentences x {dimensions?.ToString(CultureInfo.InvariantCulture) ?? "?"} dimensions.");
        }

        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            result[i] = values.Slice(i * d, d).ToArray();
        }

        return result;
    }

    internal static (int ExitCode, string Output, string Error) RunProcess(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Could not start '{fileName}' ({e.Message}): the JavaScript references (bench/peers) need Node.js 20+ and npm on PATH.", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException(
                    $"'{fileName} {string.Join(' ', start.ArgumentList)}' ran past {timeout.TotalMinutes} minutes:\n{error.Result}");
            }

            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
