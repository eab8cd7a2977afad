using Quiver.Models.Onnx;
using Quiver.Models.Pooling;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tests.Onnx;
using Quiver.Models.Tests.Tokenization;

namespace Quiver.Models.Tests.Reference;

/// <summary>
/// Quiver against transformers.js, the reference: identical token ids on generated hard sentences with the real
/// bert-base-uncased vocabulary, and embeddings within 1e-5 (cosine ≥ 0.99999) for mean and CLS pooling,
/// normalised and not, on a small model with large weights and on a MiniLM-L6-shaped one, each in padded batches of
/// very different lengths.
/// </summary>
[Trait("Needs", "npm")]
public sealed class EncoderParityTests(RealVocabularyModelFixture tiny) : IClassFixture<RealVocabularyModelFixture>
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Token_ids_are_identical_to_transformers_js()
    {
        var sentences = ReferenceSentences.Generate();
        var reference = TransformersJs.Tokenize(tiny.Folder, sentences);
        var tokenizer = BertVocabulary.Tokenizer();
        var longInputs = 0;
        for (var i = 0; i < sentences.Count; i++)
        {
            var ours = new List<int> { 101 };
            tokenizer.EncodeContent(sentences[i], ours);
            ours.Add(102);

            // transformers.js cuts the finished sequence at 512, dropping [SEP]; Quiver keeps [SEP] as the Python
            // tokenizers do, so a long input is compared on the tokens both keep.
            if (ours.Count > 512)
            {
                longInputs++;
                Assert.Equal(ours[..512], reference.TokenIds[i]);
            }
            else
            {
                Assert.True(ours.SequenceEqual(reference.TokenIds[i]), $"sentence {i} '{sentences[i]}': Quiver [{string.Join(',', ours)}] vs transformers.js [{string.Join(',', reference.TokenIds[i])}]");
            }
        }

        Assert.Equal(1, longInputs);
    }

    [Theory]
    [InlineData("mean", false)]
    [InlineData("mean", true)]
    [InlineData("cls", false)]
    [InlineData("cls", true)]
    public void Embeddings_of_a_small_model_match_transformers_js(string pooling, bool normalize) =>
        AssertMatches(tiny.Folder, ReferenceSentences.Generate(random: 60), pooling, normalize);

    [Theory]
    [InlineData("mean", true)]
    [InlineData("cls", false)]
    public void Embeddings_of_a_minilm_shaped_model_match_transformers_js(string pooling, bool normalize)
    {
        using var folder = new TemporaryFolder();
        SyntheticBert.WriteFolder(folder.Path, SyntheticBertOptions.MiniLmL6 with { Seed = 5 }, BertVocabulary.Vocabulary);
        var sentences = ReferenceSentences.Generate(random: 10).Where((_, i) => i % 2 == 0).ToList();
        AssertMatches(folder.Path, sentences, pooling, normalize, threads: 2);
    }

    private static void AssertMatches(string folder, IReadOnlyList<string> sentences, string pooling, bool normalize, int threads = 1)
    {
        using var encoder = TransformerEncoder.Open(folder, new TransformerEncoderOptions
        {
            Pooling = pooling == "cls" ? PoolingMode.Cls : PoolingMode.Mean,
            Normalize = normalize,
            Threads = threads,
            MaxBatchSize = 32,
        });

        // Inputs over the model's 512 tokens are truncated differently by the two (see above), so they are left out here.
        var comparable = sentences.Where(s => encoder.Tokenize(s).TruncatedTokens == 0).ToList();
        var reference = TransformersJs.Run(folder, comparable, pooling, normalize, batch: 32, threads: threads);
        var ours = encoder.Embed(comparable);
        Assert.True(comparable.Max(s => encoder.Tokenize(s).Ids.Length) > 200, "the batch should mix very different lengths");
        for (var i = 0; i < comparable.Count; i++)
        {
            var a = ours[i].Vector;
            var b = reference.Embeddings![i];
            double dot = 0, na = 0, nb = 0, worst = 0;
            for (var h = 0; h < a.Length; h++)
            {
                dot += (double)a[h] * b[h];
                na += (double)a[h] * a[h];
                nb += (double)b[h] * b[h];
                worst = Math.Max(worst, Math.Abs(a[h] - b[h]));
            }

            var scale = normalize ? 1 : Math.Max(1, Math.Sqrt(nb / a.Length));
            Assert.True(worst <= Tolerance * scale, $"sentence {i} '{comparable[i]}': max |difference| {worst} ({pooling}, normalise {normalize})");
            Assert.True(dot / Math.Sqrt(na * nb) >= 0.99999, $"sentence {i}: cosine {dot / Math.Sqrt(na * nb)}");
        }
    }
}
