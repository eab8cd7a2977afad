using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Catalogue.Import.Onnx;
using Quiver.Models.Pooling;
using Quiver.Models.Tokenization;
using static Quiver.Catalogue.Import.Onnx.Proto.TensorProto.Types;

namespace Quiver.Catalogue.Synthetic;

/// <summary>
/// Writes BERT encoders with random weights in the layout Hugging Face's BertModel has when optimum exports it
/// (inputs <c>input_ids</c>, <c>attention_mask</c>, optionally <c>token_type_ids</c>; output
/// <c>last_hidden_state</c>), for tests and benchmarks that need a real-sized transformer without downloading one.
/// </summary>
/// <remarks>
/// Masked keys get (1 - mask) × <see cref="float.MinValue"/> added to their attention scores, as BertModel does with
/// torch.finfo(float32).min: finite, so a row whose keys are all masked still gives a uniform softmax rather than
/// NaN, and large enough that a masked key's weight underflows to exactly 0.
/// </remarks>
public static class SyntheticBert
{
    private const float LayerNormEpsilon = 1e-12f;

    /// <summary>Writes the ONNX model alone.</summary>
    public static void WriteOnnx(string path, SyntheticBertOptions options) =>
        WriteOnnx(path, SyntheticBertWeights.Generate(options));

    /// <summary>
    /// Writes a model folder as Hugging Face and sentence-transformers lay it out: <c>onnx/model.onnx</c>,
    /// <c>config.json</c>, <c>modules.json</c>, <c>1_Pooling/config.json</c> and
    /// <c>config_sentence_transformers.json</c>. Tokenizer files are not written; add ones whose vocabulary has
    /// <see cref="SyntheticBertOptions.VocabSize"/> entries.
    /// </summary>
    public static void WriteFolder(string folder, SyntheticBertOptions options) =>
        WriteFolder(folder, SyntheticBertWeights.Generate(options));

    /// <summary>
    /// Writes a complete model folder: the files of <see cref="WriteFolder(string, SyntheticBertOptions)"/> plus the
    /// tokenizer (vocab.txt, tokenizer.json, tokenizer_config.json, special_tokens_map.json) for
    /// <paramref name="vocabulary"/>, which must have <see cref="SyntheticBertOptions.VocabSize"/> tokens.
    /// </summary>
    public static void WriteFolder(string folder, SyntheticBertOptions options, WordPieceVocabulary vocabulary, int maxLength = 512)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (vocabulary.Count != options.VocabSize)
        {
            throw new ArgumentException($"The vocabulary has {vocabulary.Count:N0} tokens but the model's embedding table has {options.VocabSize:N0} rows.", nameof(vocabulary));
        }

        WriteFolder(folder, options);
        WriteTokenizer(folder, vocabulary, maxLength);
    }

    /// <summary>Writes a lower-casing BERT WordPiece tokenizer for <paramref name="vocabulary"/> in the Hugging Face layout.</summary>
    public static void WriteTokenizer(string folder, WordPieceVocabulary vocabulary, int maxLength = 512)
    {
        Directory.CreateDirectory(folder);
        var tokenizer = new WordPieceTokenizerOptions();
        vocabulary.WriteVocabTxt(Path.Combine(folder, "vocab.txt"));
        TokenizerJson.Write(Path.Combine(folder, TokenizerJson.FileName), vocabulary, tokenizer);
        WriteJson(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = tokenizer.Normalization.Lowercase,
            ["tokenize_chinese_chars"] = tokenizer.Normalization.HandleChineseChars,
            ["strip_accents"] = tokenizer.Normalization.StripAccents,
            ["model_max_length"] = maxLength,
            ["clean_up_tokenization_spaces"] = true,
            ["unk_token"] = tokenizer.UnknownToken,
            ["cls_token"] = tokenizer.StartToken,
            ["sep_token"] = tokenizer.EndToken,
            ["pad_token"] = tokenizer.PadToken,
            ["mask_token"] = "[MASK]",
        });
        WriteJson(Path.Combine(folder, "special_tokens_map.json"), new JsonObject
        {
            ["unk_token"] = tokenizer.UnknownToken,
            ["cls_token"] = tokenizer.StartToken,
            ["sep_token"] = tokenizer.EndToken,
            ["pad_token"] = tokenizer.PadToken,
            ["mask_token"] = "[MASK]",
        });
    }

    internal static void WriteFolder(string folder, SyntheticBertWeights weights)
    {
        var options = weights.Options;
        WriteOnnx(Path.Combine(folder, "onnx", "model.onnx"), weights);
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        WriteJson(Path.Combine(folder, "config.json"), BertConfig(options));
        WriteJson(Path.Combine(folder, "modules.json"), Modules());
        WriteJson(Path.Combine(folder, "1_Pooling", "config.json"), PoolingConfig(options));
        WriteJson(Path.Combine(folder, "config_sentence_transformers.json"), new JsonObject
        {
            ["prompts"] = new JsonObject(),
            ["default_prompt_name"] = null,
            ["similarity_fn_name"] = "cosine",
        });
    }

    internal static void WriteOnnx(string path, SyntheticBertWeights weights) => OnnxModelFile.Write(path, Build(weights));

    private static byte[] Build(SyntheticBertWeights weights)
    {
        var options = weights.Options;
        var (hidden, heads, headSize) = (options.Hidden, options.Heads, options.HeadSize);
        var graph = new OnnxGraphBuilder("main_graph");

        var inputIds = graph.AddInput("input_ids", DataType.Int64, "batch_size", "sequence_length");
        var attentionMask = graph.AddInput("attention_mask", DataType.Int64, "batch_size", "sequence_length");
        var tokenTypeIds = options.IncludeTokenTypeIds
            ? graph.AddInput("token_type_ids", DataType.Int64, "batch_size", "sequence_length")
            : null;

        var zero = graph.AddInt64Initializer("zero", [0]);
        var one = graph.AddInt64Initializer("one", [1]);
        var unsqueezeAxes = graph.AddInt64Initializer("mask_unsqueeze_axes", [1, 2], 2);
        var splitHeads = graph.AddInt64Initializer("split_heads_shape", [0, 0, heads, headSize], 4);
        var mergeHeads = graph.AddInt64Initializer("merge_heads_shape", [0, 0, hidden], 3);
        var oneFloat = graph.AddInitializer("one_float", [1f]);
        var half = graph.AddInitializer("half", [0.5f]);
        var sqrtTwo = graph.AddInitializer("sqrt_two", [MathF.Sqrt(2)]);
        var sqrtHeadSize = graph.AddInitializer("sqrt_head_size", [MathF.Sqrt(headSize)]);
        var maskedScore = graph.AddInitializer("masked_score", [float.MinValue]);

        graph.Scope = "/embeddings";
        var wordTable = graph.AddInitializer("embeddings.word_embeddings.weight", weights.WordEmbeddings, options.VocabSize, hidden);
        var positionTable = graph.AddInitializer("embeddings.position_embeddings.weight", weights.PositionEmbeddings, options.MaxPositions, hidden);
        var typeTable = graph.AddInitializer("embeddings.token_type_embeddings.weight", weights.TokenTypeEmbeddings, options.TypeVocabSize, hidden);
        var words = graph.AddNode("Gather", [wordTable, inputIds]);
        var length = graph.AddNode("Gather", [graph.AddNode("Shape", [inputIds]), one]);
        var positionIds = graph.AddNode("Range", [zero, length, one]);
        var positions = graph.AddNode("Gather", [positionTable, positionIds]);

        // Without the input, BertModel uses a buffer of zeros: every token gets the first segment's row.
        var types = graph.AddNode("Gather", [typeTable, tokenTypeIds ?? zero]);
        var embedded = graph.AddNode("Add", [graph.AddNode("Add", [words, types]), positions]);
        var x = LayerNorm(graph, embedded, "embeddings.LayerNorm", weights.EmbeddingNormScale, weights.EmbeddingNormShift);

        // [batch, sequence] of 1/0 becomes [batch, 1, 1, sequence] of 0/MinValue, broadcast over heads and queries.
        graph.Scope = "/extended_attention_mask";
        var mask = graph.AddNode("Unsqueeze", [graph.AddNode("Cast", [attentionMask], OnnxAttribute.Int("to", (long)DataType.Float)), unsqueezeAxes]);
        var scoreBias = graph.AddNode("Mul", [graph.AddNode("Sub", [oneFloat, mask]), maskedScore]);

        for (var l = 0; l < weights.Layers.Count; l++)
        {
            var layer = weights.Layers[l];
            var prefix = $"encoder.layer.{l}";
            graph.Scope = $"/encoder/layer.{l}/attention/self";
            var query = Dense(graph, x, $"{prefix}.attention.self.query", layer.QueryWeight, layer.QueryBias, hidden, hidden);
            var key = Dense(graph, x, $"{prefix}.attention.self.key", layer.KeyWeight, layer.KeyBias, hidden, hidden);
            var value = Dense(graph, x, $"{prefix}.attention.self.value", layer.ValueWeight, layer.ValueBias, hidden, hidden);
            var q = graph.AddNode("Transpose", [graph.AddNode("Reshape", [query, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            var kT = graph.AddNode("Transpose", [graph.AddNode("Reshape", [key, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 3, 1));
            var v = graph.AddNode("Transpose", [graph.AddNode("Reshape", [value, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            var scores = graph.AddNode("Add", [graph.AddNode("Div", [graph.AddNode("MatMul", [q, kT]), sqrtHeadSize]), scoreBias]);
            var probabilities = graph.AddNode("Softmax", [scores], OnnxAttribute.Int("axis", -1));
            var context = graph.AddNode("MatMul", [probabilities, v]);
            var merged = graph.AddNode("Reshape", [graph.AddNode("Transpose", [context], OnnxAttribute.Ints("perm", 0, 2, 1, 3)), mergeHeads]);

            graph.Scope = $"/encoder/layer.{l}/attention/output";
            var attended = Dense(graph, merged, $"{prefix}.attention.output.dense", layer.AttentionOutputWeight, layer.AttentionOutputBias, hidden, hidden);
            x = LayerNorm(graph, graph.AddNode("Add", [attended, x]), $"{prefix}.attention.output.LayerNorm", layer.AttentionNormScale, layer.AttentionNormShift);

            // Exact GELU, 0.5·h·(1 + erf(h/√2)), spelled out as the PyTorch exporter does; ONNX Runtime fuses it.
            graph.Scope = $"/encoder/layer.{l}/intermediate";
            var inner = Dense(graph, x, $"{prefix}.intermediate.dense", layer.IntermediateWeight, layer.IntermediateBias, hidden, options.Intermediate);
            var erf = graph.AddNode("Erf", [graph.AddNode("Div", [inner, sqrtTwo])]);
            var gelu = graph.AddNode("Mul", [graph.AddNode("Mul", [inner, graph.AddNode("Add", [erf, oneFloat])]), half]);

            graph.Scope = $"/encoder/layer.{l}/output";
            var output = Dense(graph, gelu, $"{prefix}.output.dense", layer.OutputWeight, layer.OutputBias, options.Intermediate, hidden);
            var isLast = l == weights.Layers.Count - 1;
            x = LayerNorm(graph, graph.AddNode("Add", [output, x]), $"{prefix}.output.LayerNorm", layer.OutputNormScale, layer.OutputNormShift, isLast ? "last_hidden_state" : null);
        }

        graph.AddOutput(x, DataType.Float, "batch_size", "sequence_length", hidden);
        return graph.Build();
    }

    private static string Dense(OnnxGraphBuilder graph, string input, string name, float[] weight, float[] bias, int inputs, int outputs)
    {
        var w = graph.AddInitializer($"{name}.weight", weight, inputs, outputs);
        var b = graph.AddInitializer($"{name}.bias", bias, outputs);
        return graph.AddNode("Add", [graph.AddNode("MatMul", [input, w]), b]);
    }

    /// <summary>LayerNormalization over the last axis; <paramref name="output"/> names the result when the caller needs a fixed name.</summary>
    private static string LayerNorm(OnnxGraphBuilder graph, string input, string name, float[] scale, float[] shift, string? output = null)
    {
        var gamma = graph.AddInitializer($"{name}.weight", scale, scale.Length);
        var beta = graph.AddInitializer($"{name}.bias", shift, shift.Length);
        var axis = OnnxAttribute.Int("axis", -1);
        var epsilon = OnnxAttribute.Float("epsilon", LayerNormEpsilon);
        return output is null
            ? graph.AddNode("LayerNormalization", [input, gamma, beta], axis, epsilon)
            : graph.AddNode("LayerNormalization", $"{graph.Scope}/LayerNormalization", [input, gamma, beta], [output], axis, epsilon)[0];
    }

    private static JsonObject BertConfig(SyntheticBertOptions options) => new()
    {
        ["architectures"] = new JsonArray("BertModel"),
        ["attention_probs_dropout_prob"] = 0.1,
        ["hidden_act"] = "gelu",
        ["hidden_dropout_prob"] = 0.1,
        ["hidden_size"] = options.Hidden,
        ["initializer_range"] = options.InitStd,
        ["intermediate_size"] = options.Intermediate,
        ["layer_norm_eps"] = (double)LayerNormEpsilon,
        ["max_position_embeddings"] = options.MaxPositions,
        ["model_type"] = "bert",
        ["num_attention_heads"] = options.Heads,
        ["num_hidden_layers"] = options.Layers,
        ["pad_token_id"] = 0,
        ["position_embedding_type"] = "absolute",
        ["torch_dtype"] = "float32",
        ["type_vocab_size"] = options.TypeVocabSize,
        ["vocab_size"] = options.VocabSize,
    };

    private static JsonArray Modules() =>
    [
        Module(0, string.Empty, "Transformer"),
        Module(1, "1_Pooling", "Pooling"),
        Module(2, "2_Normalize", "Normalize"),
    ];

    private static JsonObject Module(int index, string path, string type) => new()
    {
        ["idx"] = index,
        ["name"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["path"] = path,
        ["type"] = $"sentence_transformers.models.{type}",
    };

    private static JsonObject PoolingConfig(SyntheticBertOptions options) => new()
    {
        ["word_embedding_dimension"] = options.Hidden,
        ["pooling_mode_cls_token"] = options.Pooling == PoolingMode.Cls,
        ["pooling_mode_mean_tokens"] = options.Pooling == PoolingMode.Mean,
        ["pooling_mode_max_tokens"] = options.Pooling == PoolingMode.Max,
        ["pooling_mode_mean_sqrt_len_tokens"] = false,
        ["pooling_mode_weightedmean_tokens"] = false,
        ["pooling_mode_lasttoken"] = options.Pooling == PoolingMode.LastToken,
        ["include_prompt"] = true,
    };

    private static void WriteJson(string path, JsonNode node) =>
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
