using System.Text.Json;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tests.Onnx;

namespace Quiver.Models.Tests.Reference;

/// <summary>
/// The transformers.js driver itself, on a tiny WordPiece tokenizer and a synthetic BERT with its vocabulary: token
/// ids come back in input order, unpadded, truncated the way transformers.js truncates (which Quiver's tokenizers
/// must reproduce), and pooled embeddings of a padded batch agree with a naive double-precision forward pass.
/// </summary>
[Trait("Needs", "npm")]
public sealed class TransformersJsTests : IDisposable
{
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "a", "b", "##s", "!"];

    private readonly TemporaryFolder folder = new();

    public TransformersJsTests() => WriteTokenizer(folder.Path, modelMaxLength: 6);

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Token_ids_come_back_unpadded_in_input_order_across_batches()
    {
        var result = TransformersJs.Tokenize(folder.Path, ["hello world!", "", "a", "Hellos b", "zzz"], batch: 2);

        int[][] expected = [[2, 5, 6, 10, 3], [2, 3], [2, 7, 3], [2, 5, 9, 8, 3], [2, 1, 3]];
        Assert.Equal(expected, result.TokenIds);
        Assert.Null(result.Embeddings);
        Assert.Equal(5, result.Summary.Sentences);
        Assert.Equal(18, result.Summary.Tokens);
        Assert.Equal((2 * 5) + (2 * 5) + (1 * 3), result.Summary.PaddedTokens);
    }

    [Fact]
    public void Truncation_cuts_at_model_max_length_and_drops_the_final_sep()
    {
        var result = TransformersJs.Tokenize(folder.Path, ["a b a b a b a b", "a b a b"]);

        // transformers.js truncates the finished sequence (src/tokenization_utils.js truncateHelper), unlike the
        // Python tokenizers, which keep [SEP].
        Assert.Equal([2, 7, 8, 7, 8, 7], result.TokenIds[0]);
        Assert.Equal([2, 7, 8, 7, 8, 3], result.TokenIds[1]);
        Assert.Equal(6, result.Summary.MaxLength);
    }

    [Fact]
    public void Lone_surrogates_reach_the_tokenizer_and_are_dropped_like_control_characters()
    {
        var result = TransformersJs.Tokenize(folder.Path, ["a\ud800b", "hello\udc00", "\u0000"]);

        Assert.Equal([2, 1, 3], result.TokenIds[0]);
        Assert.Equal([2, 5, 3], result.TokenIds[1]);
        Assert.Equal([2, 3], result.TokenIds[2]);
    }

    [Theory]
    [InlineData("mean", false)]
    [InlineData("mean", true)]
    [InlineData("cls", false)]
    [InlineData("cls", true)]
    public void Embeddings_of_a_padded_batch_match_a_naive_forward_pass(string pooling, bool normalize)
    {
        var weights = SyntheticBertWeights.Generate(new SyntheticBertOptions { VocabSize = Vocabulary.Length, InitStd = 0.2 });
        SyntheticBert.WriteFolder(folder.Path, weights);
        string[] sentences = ["hello world!", "a", "", "hellos b a b a b", "b a"];

        var result = TransformersJs.Run(folder.Path, sentences, pooling, normalize, batch: 4, threads: 2);

        Assert.Equal(weights.Options.Hidden, result.Summary.Dimensions);
        for (var i = 0; i < sentences.Length; i++)
        {
            var hidden = NaiveBert.Forward(weights, result.TokenIds[i].Select(id => (long)id).ToArray());
            var expected = pooling == "cls"
                ? hidden[0]
                : Enumerable.Range(0, hidden[0].Length).Select(j => hidden.Average(token => token[j])).ToArray();
            var norm = normalize ? Math.Sqrt(expected.Sum(x => x * x)) : 1;
            var actual = result.Embeddings![i];
            for (var j = 0; j < expected.Length; j++)
            {
                Assert.True(
                    Math.Abs((expected[j] / norm) - actual[j]) <= 1e-5,
                    $"sentence {i}, dimension {j}: transformers.js {actual[j]}, naive {expected[j] / norm}");
            }
        }
    }

    private static void WriteTokenizer(string path, int modelMaxLength)
    {
        var vocabulary = Vocabulary.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id);
        object Special(string token) => new Dictionary<string, object>
        {
            ["id"] = vocabulary[token], ["content"] = token, ["single_word"] = false, ["lstrip"] = false,
            ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        };
        object Piece(string kind, string id) => new Dictionary<string, object>
        {
            [kind] = new Dictionary<string, object> { ["id"] = id, ["type_id"] = 0 },
        };
        var tokenizer = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Select(Special).ToArray(),
            ["normalizer"] = new Dictionary<string, object?>
            {
                ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true,
                ["strip_accents"] = null, ["lowercase"] = true,
            },
            ["pre_tokenizer"] = new Dictionary<string, object> { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new Dictionary<string, object>
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new[] { Piece("SpecialToken", "[CLS]"), Piece("Sequence", "A"), Piece("SpecialToken", "[SEP]") },
                ["pair"] = new[]
                {
                    Piece("SpecialToken", "[CLS]"), Piece("Sequence", "A"), Piece("SpecialToken", "[SEP]"),
                    Piece("Sequence", "B"), Piece("SpecialToken", "[SEP]"),
                },
                ["special_tokens"] = new[] { "[CLS]", "[SEP]" }.ToDictionary(
                    t => t,
                    t => new Dictionary<string, object> { ["id"] = t, ["ids"] = new[] { vocabulary[t] }, ["tokens"] = new[] { t } }),
            },
            ["decoder"] = new Dictionary<string, object> { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new Dictionary<string, object>
            {
                ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##",
                ["max_input_chars_per_word"] = 100, ["vocab"] = vocabulary,
            },
        };
        var config = new Dictionary<string, object>
        {
            ["do_lower_case"] = true, ["model_max_length"] = modelMaxLength, ["tokenizer_class"] = "BertTokenizer",
            ["cls_token"] = "[CLS]", ["sep_token"] = "[SEP]", ["pad_token"] = "[PAD]", ["unk_token"] = "[UNK]",
            ["mask_token"] = "[MASK]",
        };
        File.WriteAllText(Path.Combine(path, "tokenizer.json"), JsonSerializer.Serialize(tokenizer));
        File.WriteAllText(Path.Combine(path, "tokenizer_config.json"), JsonSerializer.Serialize(config));
    }
}
