using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Catalogue.Quantization;
using Quiver.Models.Static;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests.Quantization;

public sealed class QuantizedInstallTests : IDisposable
{
    private static readonly string[] Words = ["the", "a", "whale", "ship", "sea", "swims", "sails", "frog", "pond", "jumps", "in", "of", "on", "cat", "mat", "sat", "."];

    private readonly TemporaryFolder _folder = new();
    private readonly QuiverPaths _paths;
    private readonly ModelInstaller _installer;

    public QuantizedInstallTests()
    {
        _paths = new QuiverPaths(_folder.File("home"));
        _installer = new ModelInstaller(_paths);
        var vocabulary = new WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Words]);
        var source = _folder.File("tiny-bert");
        SyntheticBert.WriteFolder(source, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 31 }, vocabulary, maxLength: 32);
        _installer.InstallFolder("bert", source, force: false, progress: null);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_copy_is_a_model_of_its_own_that_says_where_it_came_from()
    {
        var source = InstalledModels.Manifest(_paths, "bert");
        var stages = new List<string>();

        var installed = _installer.InstallQuantized("bert", "bert-int8", options: null, force: false, new SynchronousProgress<InstallProgress>(p => stages.Add(p.Stage)));

        var manifest = installed.Manifest;
        Assert.Equal(manifest, InstalledModels.Manifest(_paths, "bert-int8"));
        Assert.Equal($"quantized from bert@{source.Revision}", manifest.Source);
        Assert.NotEqual(source.Revision, manifest.Revision);
        Assert.Equal((TransformerModel.Kind, source.Dimensions, source.Words), (manifest.Kind, manifest.Dimensions, manifest.Words));
        Assert.Contains("int8", manifest.Description, StringComparison.Ordinal);
        Assert.Equal(12, installed.Summary.MatMuls);
        Assert.Contains(stages, s => s.StartsWith("quantising", StringComparison.Ordinal));
        Assert.Equal("installed", stages[^1]);

        // The same tokenizer and pooling files, a different model.onnx.
        var folder = Path.Combine(_paths.Models, "bert-int8");
        var original = Path.Combine(_paths.Models, "bert");
        Assert.Equal(
            Directory.GetFiles(original, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(original, f)).Order(StringComparer.Ordinal),
            Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(original, "tokenizer.json")), File.ReadAllBytes(Path.Combine(folder, "tokenizer.json")));

        // Its own embedding space, so a collection of the float model's vectors refuses its vectors; yet nearly the same vectors.
        var float32 = InstalledModels.OpenTransformer(_paths, "bert");
        var int8 = InstalledModels.OpenTransformer(_paths, "bert-int8");
        using var floatEncoder = float32.CreateEncoder();
        using var int8Encoder = int8.CreateEncoder();
        var floatSpace = float32.Space(floatEncoder);
        var int8Space = int8.Space(int8Encoder);
        Assert.NotEqual(floatSpace, int8Space);
        Assert.Equal(floatSpace.Dimensions, int8Space.Dimensions);
        string[] texts = ["the whale swims in the sea", "a cat sat on the mat", "the frog jumps in the pond of the ship on the sea"];
        var expected = floatEncoder.Embed(texts);
        var actual = int8Encoder.Embed(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(expected[i].Vector, actual[i].Vector) >= 0.99, $"'{texts[i]}' moved too far");
        }
    }

    [Fact]
    public void An_installed_target_is_refused_without_force_and_replaced_with_it()
    {
        var first = _installer.InstallQuantized("bert", "bert-int8", new DynamicQuantizationOptions(), force: false, progress: null);

        var error = Assert.Throws<QuiverException>(() => _installer.InstallQuantized("bert", "bert-int8", new DynamicQuantizationOptions { Granularity = QuantizationGranularity.PerTensor }, force: false, progress: null));

        Assert.Contains("--force", error.Message, StringComparison.Ordinal);
        Assert.Equal(first.Manifest.Revision, InstalledModels.Manifest(_paths, "bert-int8").Revision);

        var second = _installer.InstallQuantized("bert", "bert-int8", new DynamicQuantizationOptions { Granularity = QuantizationGranularity.PerTensor }, force: true, progress: null);
        Assert.NotEqual(first.Manifest.Revision, second.Manifest.Revision);
        Assert.Equal(second.Manifest.Revision, InstalledModels.Manifest(_paths, "bert-int8").Revision);
    }

    [Fact]
    public void A_word_vector_model_is_refused()
    {
        var vectors = new WordVectors(["sea", "ship", "whale"], [1, 0, 0, 1, 1, 1], dimensions: 2);
        _installer.InstallVectors("words", vectors, "tiny", "test", force: false, progress: null);

        var error = Assert.Throws<QuiverException>(() => _installer.InstallQuantized("words", "words-int8", null, force: false, progress: null));

        Assert.Contains("word-vectors", error.Message, StringComparison.Ordinal);
        Assert.Contains("transformer", error.Message, StringComparison.Ordinal);
        Assert.False(InstalledModels.IsInstalled(_paths, "words-int8"));
    }

    [Fact]
    public void The_copy_cannot_take_its_sources_name_or_an_invalid_one()
    {
        Assert.Contains("name of its own", Assert.Throws<QuiverException>(() => _installer.InstallQuantized("bert", "bert", null, force: true, progress: null)).Message, StringComparison.Ordinal);
        Assert.Contains("not a valid model name", Assert.Throws<QuiverException>(() => _installer.InstallQuantized("bert", "../bert", null, force: false, progress: null)).Message, StringComparison.Ordinal);
        Assert.Throws<ModelNotInstalledException>(() => _installer.InstallQuantized("missing", "missing-int8", null, force: false, progress: null));
    }

    [Fact]
    public void A_failure_leaves_nothing_behind_and_keeps_an_existing_copy()
    {
        var kept = _installer.InstallQuantized("bert", "bert-int8", null, force: false, progress: null);
        var before = Directory.GetFileSystemEntries(_paths.Models).Order(StringComparer.Ordinal).ToList();
        var model = Path.Combine(_paths.Models, "bert", "onnx", "model.onnx");
        File.WriteAllBytes(model, [0x0A, 0xFF, 0xFF, 0xFF, 0x0F]);

        var fresh = Assert.Throws<ModelFolderException>(() => _installer.InstallQuantized("bert", "other-int8", null, force: false, progress: null));
        var forced = Assert.Throws<ModelFolderException>(() => _installer.InstallQuantized("bert", "bert-int8", null, force: true, progress: null));

        Assert.Equal(model, fresh.File);
        Assert.Contains("not a readable ONNX model", forced.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(_paths.Models).Order(StringComparer.Ordinal));
        Assert.Equal(kept.Manifest, InstalledModels.Manifest(_paths, "bert-int8"));
        using var encoder = InstalledModels.OpenTransformer(_paths, "bert-int8").CreateEncoder();
        Assert.Equal(32, encoder.Embed(["the whale swims"])[0].Vector.Length);
    }
}
