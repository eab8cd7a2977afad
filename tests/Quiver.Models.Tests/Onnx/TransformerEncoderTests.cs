using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models.Onnx;
using Quiver.Models.Pooling;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests.Onnx;

public sealed class TransformerEncoderTests(TransformerModelFixture fixture) : IClassFixture<TransformerModelFixture>
{
    private const double Tolerance = 1e-5;

    private static readonly string[] Mixed =
    [
        "Hi.",
        "A man with a hard hat is dancing on the roof of a very tall building while the crowd below cheers and the police arrive.",
        "Naïve café 日本語 😀 emoji",
        "Two words",
        string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 12)),
        string.Empty,
    ];

    [Theory]
    [InlineData(PoolingMode.Mean)]
    [InlineData(PoolingMode.Cls)]
    [InlineData(PoolingMode.Max)]
    [InlineData(PoolingMode.LastToken)]
    public void Pooled_vectors_match_the_naive_reference_in_a_padded_sorted_batch(PoolingMode pooling)
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { Pooling = pooling, Normalize = false, Threads = 1 });
        var embeddings = encoder.Embed(Mixed);
        for (var i = 0; i < Mixed.Length; i++)
        {
            var expected = fixture.ReferencePooled(encoder.Tokenize(Mixed[i]).Ids, pooling);
            var worst = expected.Select((e, h) => Math.Abs(e - embeddings[i].Vector[h])).Max();
            Assert.True(worst <= Tolerance, $"input {i} ({pooling}) differs from the reference by {worst}");
        }
    }

    [Fact]
    public void A_transformer_answers_its_own_token_counter_through_the_encoder_contract_and_its_generator()
    {
        var transformer = TransformerEncoder.Open(fixture.Folder);
        var space = new EmbeddingSpace(new ModelReference("tiny", "mean", "r1"), transformer.Dimensions, DistanceMetric.Cosine, transformer.Normalize);
        using ITextEncoder encoder = new TransformerTextEncoder(transformer, space);
        using var generator = new TextEmbeddingGenerator(encoder, ownsEncoder: false);
        var specials = (transformer.Model.Tokenizer.StartTokenId is null ? 0 : 1) + (transformer.Model.Tokenizer.EndTokenId is null ? 0 : 1);

        foreach (var counter in new[] { EncoderTokenCounter.For(encoder, wordsWithoutLimit: 7), EncoderTokenCounter.For(generator, wordsWithoutLimit: 7) })
        {
            Assert.Equal(transformer.MaxLength - specials, counter.MaxTokens);
            foreach (var text in Mixed.Take(4))
            {
                Assert.Equal(encoder.Cost(text, TruncationPolicy.Truncate), counter.Count(text) + specials);
            }
        }
    }

    [Fact]
    public void Normalised_vectors_have_unit_length_and_match_the_reference_direction()
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder);
        Assert.True(encoder.Normalize, "the synthetic folder's modules.json has a Normalize module");
        var embeddings = encoder.Embed(Mixed);
        for (var i = 0; i < Mixed.Length; i++)
        {
            var expected = fixture.ReferencePooled(encoder.Tokenize(Mixed[i]).Ids, PoolingMode.Mean);
            var norm = Math.Sqrt(expected.Sum(e => e * e));
            Assert.Equal(1.0, Math.Sqrt(embeddings[i].Vector.Sum(v => (double)v * v)), 5);
            Assert.True(expected.Select((e, h) => Math.Abs((e / norm) - embeddings[i].Vector[h])).Max() <= Tolerance);
        }
    }

    [Fact]
    public void Results_come_back_in_input_order_whatever_the_batching()
    {
        using var batched = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { MaxBatchSize = 3, TokenBudget = 512 });
        using var single = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { MaxBatchSize = 1 });
        var inputs = Enumerable.Range(0, 40).Select(i => string.Join(' ', Enumerable.Repeat($"word{i}", 1 + (i * 7 % 23)))).ToList();
        var a = batched.Embed(inputs);
        var b = inputs.Select(t => single.Embed([t])[0]).ToList();
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.True(a[i].Vector.Zip(b[i].Vector, (x, y) => Math.Abs(x - y)).Max() <= Tolerance, $"input {i} changed with batching");
        }

        Assert.True(batched.Statistics.Batches > 13, $"MaxBatchSize 3 over 40 inputs should take at least 14 calls, took {batched.Statistics.Batches}");
    }

    [Fact]
    public void Sorting_by_length_keeps_padding_small()
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { MaxBatchSize = 8 });
        var inputs = Enumerable.Range(0, 64).Select(i => i % 2 == 0 ? "short one" : string.Join(' ', Enumerable.Repeat("longer", 60))).ToList();
        encoder.Embed(inputs);
        var overhead = (double)encoder.Statistics.PaddedTokens / encoder.Statistics.Tokens - 1;
        Assert.True(overhead < 0.01, $"alternating short and long inputs padded {overhead:P1} extra; sorted batches should pad almost nothing");
    }

    [Fact]
    public void Truncation_is_reported_and_keeps_the_end_token()
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { MaxLength = 16 });
        var text = string.Join(' ', Enumerable.Repeat("cat", 30));
        var (ids, truncated) = encoder.Tokenize(text);
        Assert.Equal(16, ids.Length);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
        Assert.Equal(32 - 16, truncated);

        var result = encoder.Embed([text, "cat"]);
        Assert.Equal(32, result[0].Tokens);
        Assert.Equal(16, result[0].TruncatedTokens);
        Assert.True(result[0].Truncated);
        Assert.Equal(0, result[1].TruncatedTokens);
        Assert.Equal(3, result[1].Tokens);
    }

    [Fact]
    public void The_error_policy_names_the_input_and_its_length()
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { MaxLength = 16, Truncation = TruncationPolicy.Error });
        var error = Assert.Throws<InputTooLongException>(() => encoder.Embed(["fine", string.Join(' ', Enumerable.Repeat("cat", 30))]));
        Assert.Equal(1, error.Index);
        Assert.Equal(32, error.Tokens);
        Assert.Contains("16", error.Message);
    }

    [Fact]
    public void Chunking_embeds_overlapping_windows_weighted_by_their_tokens()
    {
        var options = new TransformerEncoderOptions { MaxLength = 12, Truncation = TruncationPolicy.Chunk, ChunkOverlap = 2, Pooling = PoolingMode.Mean, Normalize = false };
        using var encoder = TransformerEncoder.Open(fixture.Folder, options);
        var words = Enumerable.Range(0, 25).Select(i => new[] { "red", "green", "blue", "cat", "dog" }[i % 5]).ToArray();
        var text = string.Join(' ', words);
        var result = encoder.Embed([text])[0];

        // 25 content tokens, windows of 10 with stride 8: [0,10) [8,18) [16,25).
        Assert.Equal(3, result.Chunks);
        Assert.Equal(0, result.TruncatedTokens);
        var content = fixture.Options.VocabSize > 0 ? encoder.Tokenize(string.Join(' ', words[..10])).Ids[1..^1] : [];
        Assert.Equal(10, content.Length);

        double[] Window(int from, int count)
        {
            var ids = new List<int> { 101 };
            ids.AddRange(encoder.Tokenize(string.Join(' ', words[from..(from + count)])).Ids[1..^1]);
            ids.Add(102);
            return fixture.ReferencePooled(ids, PoolingMode.Mean);
        }

        var windows = new[] { (Vector: Window(0, 10), Weight: 12.0), (Vector: Window(8, 10), Weight: 12.0), (Vector: Window(16, 9), Weight: 11.0) };
        var total = windows.Sum(w => w.Weight);
        for (var h = 0; h < result.Vector.Length; h++)
        {
            var expected = windows.Sum(w => w.Vector[h] * w.Weight) / total;
            Assert.True(Math.Abs(expected - result.Vector[h]) <= Tolerance, $"dimension {h}: {result.Vector[h]} vs {expected}");
        }
    }

    [Theory]
    [InlineData(TruncationPolicy.Truncate)]
    [InlineData(TruncationPolicy.Chunk)]
    public void Sequence_tokens_count_what_the_model_runs_before_it_runs(TruncationPolicy truncation)
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { MaxLength = 12, ChunkOverlap = 2 });
        var ids = encoder.Tokenize("red green blue").Ids[1..^1];

        var counted = Mixed.Sum(t => encoder.SequenceTokens(t, truncation)) + encoder.SequenceTokens(ids, truncation);
        encoder.Embed(Mixed, truncation);
        encoder.EmbedTokenIds([ids], truncation);

        // The statistics add up the real (unpadded) tokens of every sequence the model ran, chunk windows included.
        Assert.Equal(encoder.Statistics.Tokens, counted);
        var long25 = string.Join(' ', Enumerable.Repeat("red green blue cat dog", 5));
        Assert.Equal(truncation == TruncationPolicy.Chunk ? 12 + 12 + 11 : 12, encoder.SequenceTokens(long25, truncation));
    }

    [Fact]
    public void Chunking_asked_per_call_with_an_overlap_longer_than_the_window_advances_by_half_windows()
    {
        // MaxLength 12 leaves windows of 10 content tokens; the default overlap (32) would never advance. (Asked for
        // at open, such an overlap is refused; asked per call, as the server does, it must still work.)
        using var encoder = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { MaxLength = 12 });
        var text = string.Join(' ', Enumerable.Repeat("red green blue cat dog", 5));

        var result = encoder.Embed([text], TruncationPolicy.Chunk)[0];

        // 25 content tokens, stride 5: [0,10) [5,15) [10,20) [15,25).
        Assert.Equal(4, result.Chunks);
        Assert.Equal(0, result.TruncatedTokens);
    }

    [Fact]
    public void Token_ids_embed_exactly_as_the_text_they_came_from_and_the_policy_can_change_per_call()
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { MaxLength = 16 });
        var texts = new[] { "Two words", "A man with a hard hat is dancing on the roof." };
        var ids = texts.Select(t => (IReadOnlyList<int>)encoder.Tokenize(t).Ids[1..^1]).ToList();

        var fromText = encoder.Embed(texts);
        var fromIds = encoder.EmbedTokenIds(ids);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(fromText[i].Vector, fromIds[i].Vector);
            Assert.Equal(fromText[i].Tokens, fromIds[i].Tokens);
        }

        var tooLong = string.Join(' ', Enumerable.Repeat("cat", 30));
        Assert.True(encoder.Embed([tooLong])[0].TruncatedTokens > 0);
        Assert.Throws<InputTooLongException>(() => encoder.Embed([tooLong], TruncationPolicy.Error));
        Assert.Equal(1, Assert.Throws<InputTooLongException>(() => encoder.EmbedTokenIds([ids[0], [.. Enumerable.Repeat(ids[0][0], 40)]], TruncationPolicy.Error)).Index);
        var outside = Assert.Throws<Core.QuiverException>(() => encoder.EmbedTokenIds([[5, -1]]));
        Assert.Contains("token 1", outside.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matryoshka_truncation_keeps_the_leading_dimensions_renormalised()
    {
        using var full = TransformerEncoder.Open(fixture.Folder);
        using var small = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { Dimensions = 8 });
        Assert.Equal(8, small.Dimensions);
        Assert.Equal(32, small.ModelDimensions);
        var a = full.Embed(["a sentence to shorten"])[0].Vector;
        var b = small.Embed(["a sentence to shorten"])[0].Vector;
        var norm = Math.Sqrt(a[..8].Sum(v => (double)v * v));
        for (var h = 0; h < 8; h++)
        {
            Assert.Equal(a[h] / norm, b[h], 5);
        }

        Assert.Throws<QuiverException>(() => TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { Dimensions = 33 }));
    }

    [Fact]
    public void One_encoder_serves_many_threads()
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder);
        var inputs = Enumerable.Range(0, 24).Select(i => $"thread test sentence {i} " + new string('x', i)).ToArray();
        var expected = encoder.Embed(inputs);
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var slice = inputs.Skip(i % 5).Take(7).ToArray();
            var got = encoder.Embed(slice);
            for (var j = 0; j < slice.Length; j++)
            {
                Assert.Equal(expected[(i % 5) + j].Vector, got[j].Vector);
            }
        });
    }

    [Fact]
    public void A_cancelled_call_throws_and_the_encoder_keeps_working()
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => encoder.Embed(Mixed, cancelled.Token));
        Assert.Equal(Mixed.Length, encoder.Embed(Mixed).Count);
    }

    [Fact]
    public void Streaming_returns_every_input_in_order()
    {
        using var encoder = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { SortWindow = 7 });
        var inputs = Enumerable.Range(0, 30).Select(i => $"stream {i} " + new string('y', (i * 13) % 40)).ToList();
        var streamed = encoder.EmbedStream(inputs).ToList();
        var whole = encoder.Embed(inputs);
        Assert.Equal(inputs.Count, streamed.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(whole[i].Vector, streamed[i].Vector);
        }
    }

    [Fact]
    public void A_prompt_is_put_before_every_input()
    {
        using var plain = TransformerEncoder.Open(fixture.Folder);
        using var prompted = TransformerEncoder.Open(fixture.Folder, new TransformerEncoderOptions { Prompt = "query: " });
        Assert.Equal(plain.Tokenize("query: how tall").Ids, prompted.Tokenize("how tall").Ids);
        Assert.Equal(plain.Embed(["query: how tall"])[0].Vector, prompted.Embed(["how tall"])[0].Vector);
    }
}
