using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Quiver.Models.Pooling;
using Quiver.Catalogue.Synthetic;

namespace Quiver.Models.Tests.Onnx;

public sealed class SyntheticBertTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private static readonly int[] VeryDifferentLengths = [3, 17, 64];

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(0.02, GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(0.2, GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(0.2, GraphOptimizationLevel.ORT_DISABLE_ALL)]
    public void Padded_batch_of_very_different_lengths_matches_the_reference(double std, GraphOptimizationLevel optimization)
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { InitStd = std, Seed = 7 });
        var path = Write(weights);
        var (ids, types) = BertBatch.Sequences(weights.Options, VeryDifferentLengths, seed: 3);

        var output = BertBatch.Run(path, ids, types, optimization);

        for (var b = 0; b < ids.Length; b++)
        {
            AssertClose(NaiveBert.Forward(weights, ids[b], types[b]), output, b);
        }
    }

    [Fact]
    public void Padded_sequence_gives_what_it_gives_alone_and_the_mask_is_what_makes_it_so()
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { InitStd = 0.2, Seed = 8 });
        var path = Write(weights);
        var (ids, types) = BertBatch.Sequences(weights.Options, VeryDifferentLengths, seed: 4);

        var batch = BertBatch.Run(path, ids, types);
        var alone = BertBatch.Run(path, [ids[0]], [types[0]]);
        var unmasked = BertBatch.Run(path, ids, types, maskPadding: false);

        var hidden = weights.Options.Hidden;
        var stride = VeryDifferentLengths.Max() * hidden;
        double worst = 0, unmaskedWorst = 0;
        for (var i = 0; i < ids[0].Length * hidden; i++)
        {
            worst = Math.Max(worst, Math.Abs(batch.Values[i] - alone.Values[i]));
            unmaskedWorst = Math.Max(unmaskedWorst, Math.Abs(unmasked.Values[i] - alone.Values[i]));
        }

        Assert.Equal(stride * ids.Length, batch.Values.Length);
        Assert.True(worst <= Tolerance, $"the 3-token sequence differs by {worst} between the padded batch and alone");

        // Attending to 61 padding tokens must move the short sequence far outside the tolerance, or this test could not see a lost mask.
        Assert.True(unmaskedWorst > 1000 * Tolerance, $"ignoring the mask moved the short sequence by only {unmaskedWorst}");
    }

    [Fact]
    public void Model_without_token_type_ids_has_no_such_input_and_uses_segment_zero()
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { InitStd = 0.2, Seed = 9, IncludeTokenTypeIds = false });
        var path = Write(weights);
        var (ids, _) = BertBatch.Sequences(weights.Options, VeryDifferentLengths, seed: 5);

        using (var session = new InferenceSession(path))
        {
            Assert.Equal(["input_ids", "attention_mask"], session.InputMetadata.Keys);
        }

        var output = BertBatch.Run(path, ids, types: null);

        for (var b = 0; b < ids.Length; b++)
        {
            AssertClose(NaiveBert.Forward(weights, ids[b]), output, b);
        }
    }

    [Fact]
    public void Inputs_and_output_have_optimums_names_and_symbolic_shapes()
    {
        var path = Write(SyntheticBertWeights.Generate(new SyntheticBertOptions()));
        using var session = new InferenceSession(path);

        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.InputMetadata.Keys);
        foreach (var input in session.InputMetadata.Values)
        {
            Assert.Equal(typeof(long), input.ElementType);
            Assert.Equal(["batch_size", "sequence_length"], input.SymbolicDimensions);
        }

        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("last_hidden_state", output.Key);
        Assert.Equal(typeof(float), output.Value.ElementType);
        Assert.Equal([-1, -1, 32], output.Value.Dimensions);
    }

    [Fact]
    public void MiniLm_shaped_folder_loads_and_matches_the_reference()
    {
        var options = SyntheticBertOptions.MiniLmL6 with { Seed = 10 };
        var weights = SyntheticBertWeights.Generate(options);
        SyntheticBert.WriteFolder(_folder.Path, weights);

        var path = _folder.File("onnx/model.onnx");
        Assert.True(new FileInfo(path).Length > 22_000_000 * sizeof(float), "the model file is smaller than its weights");
        var (ids, types) = BertBatch.Sequences(options, [5, 40], seed: 6);

        var output = BertBatch.Run(path, ids, types);

        Assert.Equal([2, 40, 384], output.Shape);
        Assert.All(output.Values, value => Assert.True(float.IsFinite(value)));
        for (var b = 0; b < ids.Length; b++)
        {
            AssertClose(NaiveBert.Forward(weights, ids[b], types[b]), output, b);
        }
    }

    [Theory]
    [InlineData(PoolingMode.Mean, "pooling_mode_mean_tokens")]
    [InlineData(PoolingMode.Cls, "pooling_mode_cls_token")]
    [InlineData(PoolingMode.Max, "pooling_mode_max_tokens")]
    [InlineData(PoolingMode.LastToken, "pooling_mode_lasttoken")]
    public void Folder_has_the_hugging_face_and_sentence_transformers_layout(PoolingMode pooling, string poolingFlag)
    {
        var options = new SyntheticBertOptions { Pooling = pooling, Layers = 3, Hidden = 48, Heads = 6, Intermediate = 96, VocabSize = 500 };
        SyntheticBert.WriteFolder(_folder.Path, options);

        var files = Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_folder.Path, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["1_Pooling/config.json", "config.json", "config_sentence_transformers.json", "modules.json", "onnx/model.onnx"], files);

        var config = Json("config.json");
        Assert.Equal("bert", (string?)config["model_type"]);
        Assert.Equal(["BertModel"], config["architectures"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(48, (int)config["hidden_size"]!);
        Assert.Equal(3, (int)config["num_hidden_layers"]!);
        Assert.Equal(6, (int)config["num_attention_heads"]!);
        Assert.Equal(96, (int)config["intermediate_size"]!);
        Assert.Equal(500, (int)config["vocab_size"]!);
        Assert.Equal(512, (int)config["max_position_embeddings"]!);
        Assert.Equal(2, (int)config["type_vocab_size"]!);
        Assert.Equal("gelu", (string?)config["hidden_act"]);
        Assert.Equal(1e-12, (double)config["layer_norm_eps"]!, 1e-18);
        Assert.Equal(0, (int)config["pad_token_id"]!);

        var modules = Json("modules.json").AsArray();
        Assert.Equal(
            ["0||sentence_transformers.models.Transformer", "1|1_Pooling|sentence_transformers.models.Pooling", "2|2_Normalize|sentence_transformers.models.Normalize"],
            modules.Select(m => $"{(int)m!["idx"]!}|{(string?)m["path"]}|{(string?)m["type"]}"));

        var poolingConfig = Json("1_Pooling/config.json");
        Assert.Equal(48, (int)poolingConfig["word_embedding_dimension"]!);
        var flags = poolingConfig.AsObject().Where(p => p.Key.StartsWith("pooling_mode_", StringComparison.Ordinal));
        Assert.Equal([poolingFlag], flags.Where(p => (bool)p.Value!).Select(p => p.Key));

        var sentenceTransformers = Json("config_sentence_transformers.json");
        Assert.Empty(sentenceTransformers["prompts"]!.AsObject());
        Assert.True(sentenceTransformers.AsObject().ContainsKey("default_prompt_name"));
        Assert.Null(sentenceTransformers["default_prompt_name"]);
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_another_seed_other_weights()
    {
        var a = SyntheticBertWeights.Generate(new SyntheticBertOptions { Seed = 5 });
        var b = SyntheticBertWeights.Generate(new SyntheticBertOptions { Seed = 5 });
        var c = SyntheticBertWeights.Generate(new SyntheticBertOptions { Seed = 6 });

        Assert.Equal(a.WordEmbeddings, b.WordEmbeddings);
        Assert.Equal(a.Layers[^1].OutputNormShift, b.Layers[^1].OutputNormShift);
        Assert.NotEqual(a.WordEmbeddings, c.WordEmbeddings);
    }

    [Fact]
    public void Weights_have_the_requested_spread()
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { InitStd = 0.2 });

        var (mean, std) = Moments(weights.WordEmbeddings);
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std, 0.198, 0.202);
        (mean, _) = Moments(weights.Layers[0].AttentionNormScale);
        Assert.InRange(mean, 0.85, 1.15);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(-1.3, -0.9340079449406524)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.9, 0.9999589021219005)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(4.5, 0.9999999998033839)]
    [InlineData(-6.0, -1.0)]
    public void Reference_erf_agrees_with_the_c_library(double z, double expected) =>
        Assert.Equal(expected, NaiveBert.Erf(z), 1e-13);

    [Fact]
    public void Heads_that_do_not_divide_the_hidden_size_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SyntheticBertWeights.Generate(new SyntheticBertOptions { Hidden = 30, Heads = 4 }));
        Assert.Contains("30", error.Message, StringComparison.Ordinal);
    }

    private string Write(SyntheticBertWeights weights)
    {
        var path = _folder.File($"bert-{Guid.NewGuid():N}.onnx");
        SyntheticBert.WriteOnnx(path, weights);
        return path;
    }

    private JsonNode Json(string relativePath) => JsonNode.Parse(File.ReadAllText(_folder.File(relativePath)))!;

    /// <summary>Checks every real (unpadded) position of sequence <paramref name="b"/> in the batch output.</summary>
    private static void AssertClose(double[][] expected, BertOutput actual, int b)
    {
        var (length, hidden) = ((int)actual.Shape[1], (int)actual.Shape[2]);
        double worst = 0;
        var where = string.Empty;
        for (var t = 0; t < expected.Length; t++)
        {
            for (var j = 0; j < hidden; j++)
            {
                var difference = Math.Abs(actual.Values[(((b * length) + t) * hidden) + j] - expected[t][j]);
                if (difference > worst)
                {
                    (worst, where) = (difference, $"token {t}, element {j}");
                }
            }
        }

        Assert.True(worst <= Tolerance, $"sequence {b} ({expected.Length} tokens) is off the reference by {worst} at {where}");
    }

    private static (double Mean, double Std) Moments(float[] values)
    {
        var mean = values.Average(v => (double)v);
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }
}
