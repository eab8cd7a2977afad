using Microsoft.ML.OnnxRuntime;
using Quiver.Catalogue.Import.TfJs;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// The real Universal Sentence Encoder lite imported and run in ONNX Runtime, against embeddings of the TensorFlow.js
/// reference. The full comparison over 3,000 STS sentences is the bench verb <c>Quiver.Bench use-parity</c>.
/// </summary>
[Trait("Needs", "npm")]
public sealed class TfJsUniversalSentenceEncoderTests
{
    // Token ids and embeddings from the reference: node bench/peers/use/embed.mjs on "Hello world.",
    // "The quick brown fox jumps over the lazy dog, twice." and "one two three" repeated 50 times (150 tokens, which
    // the graph clips to its first 128), tfjs-backend-cpu 3.21.0, one batch.
    internal static readonly long[][] TokenIds =
    [
        [341, 4125, 311, 6],
        [34, 2280, 3744, 1394, 152, 2009, 7, 132, 9, 6266, 959, 8, 2890, 6],
        [.. Enumerable.Repeat<long[]>([66, 174, 382], 50).SelectMany(t => t)],
    ];

    // Components 0-7 and 504-511 of each reference embedding.
    internal static readonly float[][] Heads =
    [
        [-0.047306597f, -0.058243249f, -0.0044185249f, -0.0496202f, 0.016602483f, -0.056559037f, 0.058100481f, 0.044930443f],
        [-0.013735832f, -0.040162556f, 0.042466264f, -0.020629456f, -0.0035293412f, 0.064976446f, 0.043056883f, -0.058735367f],
        [-0.032113373f, -0.040721998f, 0.053637411f, 0.041066274f, 0.059500702f, -0.055733513f, -0.0588773f, -0.058443651f],
    ];

    private static readonly float[][] Tails =
    [
        [0.013305969f, 0.028072014f, 0.05909846f, -0.040238742f, 0.020647705f, -0.057902724f, 0.037364025f, 0.058303528f],
        [0.048169851f, -0.030307522f, 0.065767482f, 0.053967994f, -0.00646945f, -0.015663657f, 0.030849218f, 0.0086494284f],
        [0.029456938f, 0.057711218f, 0.037966926f, 0.039291564f, -0.056229379f, -0.059553735f, -0.056991767f, 0.0027584946f],
    ];

    // Cosines between the reference embeddings (0, 1), (0, 2) and (1, 2).
    private static readonly double[] Cosines = [0.12528577434780114, 0.14633204761979024, 0.18230977893627784];

    [Fact]
    public async Task Imported_model_matches_the_tensorflow_js_reference_in_one_padded_batch_and_alone()
    {
        var dist = await UniversalSentenceEncoderPackage.GetDistFolderAsync();
        using var folder = new TemporaryFolder();
        var onnx = folder.File("model.onnx");

        var result = TfJsGraphImporter.Import(Path.Combine(dist, "model.json"), onnx, TfJsImportOptions.UniversalSentenceEncoder);

        Assert.Equal(["input_ids", "attention_mask"], result.InputNames);
        Assert.Equal("sentence_embedding", result.OutputName);
        Assert.Equal([-1, 512], result.OutputShape);
        Assert.Equal(317, result.ImportedNodes);

        using var session = new InferenceSession(onnx);
        var batch = Embed(session, TokenIds);
        for (var i = 0; i < TokenIds.Length; i++)
        {
            var row = batch.AsSpan(i * 512, 512);
            AssertClose(Heads[i], row[..8]);
            AssertClose(Tails[i], row[504..]);
            Assert.Equal(1, Dot(row, row), 1e-5);
            AssertClose(row, Embed(session, [TokenIds[i]]));
        }

        Assert.Equal(Cosines[0], Dot(batch.AsSpan(0, 512), batch.AsSpan(512, 512)), 1e-5);
        Assert.Equal(Cosines[1], Dot(batch.AsSpan(0, 512), batch.AsSpan(1024, 512)), 1e-5);
        Assert.Equal(Cosines[2], Dot(batch.AsSpan(512, 512), batch.AsSpan(1024, 512)), 1e-5);
    }

    private static float[] Embed(InferenceSession session, long[][] rows)
    {
        var width = rows.Max(r => r.Length);
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r].CopyTo(ids, r * width);
            mask.AsSpan(r * width, rows[r].Length).Fill(1);
        }

        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [rows.Length, width]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [rows.Length, width]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input_ids", "attention_mask"], [idsValue, maskValue], ["sentence_embedding"]);
        Assert.Equal([rows.Length, 512], results[0].GetTensorTypeAndShape().Shape);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"component {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
