using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Catalogue.Import.TfJs;
using Quiver.Models.Onnx;

namespace Quiver.Catalogue;

/// <summary>Installation of TensorFlow.js sentence encoders: imported to ONNX once, then served like any transformer folder.</summary>
public sealed partial class ModelInstaller
{
    /// <summary>Universal Sentence Encoder lite clips every input to this many pieces inside its graph.</summary>
    private const int UseLiteMaxLength = 128;

    private async Task<ModelManifest> InstallUseLiteAsync(CatalogueEntry entry, string? packageFile, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var work = Path.Combine(paths.Home, "tmp", $"{entry.Name}-{Guid.NewGuid():N}");
        using var staging = ModelStaging.Begin(paths, entry.Name);
        Directory.CreateDirectory(work);
        try
        {
            var tarball = await FetchCheckedAsync(entry, packageFile, work, progress, cancellationToken);

            progress?.Report(new InstallProgress("extracting the TensorFlow.js model"));
            var dist = Path.Combine(work, "dist");
            Directory.CreateDirectory(dist);
            foreach (var path in UseLitePackage.ShardEntryPaths.Append(UseLitePackage.ModelEntryPath).Append(UseLitePackage.VocabularyEntryPath))
            {
                await ExtractAsync(tarball, path, Path.Combine(dist, Path.GetFileName(path)), cancellationToken);
            }


            Directory.CreateDirectory(Path.Combine(staging.Folder, "onnx"));
            progress?.Report(new InstallProgress("importing the graph to ONNX"));
            var imported = TfJsGraphImporter.Import(
                Path.Combine(dist, "model.json"), Path.Combine(staging.Folder, "onnx", "model.onnx"), TfJsImportOptions.UniversalSentenceEncoder);
            var dimensions = (int)imported.OutputShape[^1];
            File.Copy(Path.Combine(dist, "vocab.json"), Path.Combine(staging.Folder, TransformerModelFolder.SentencePieceVocabularyFile));
            WriteJson(Path.Combine(staging.Folder, "config.json"), new JsonObject
            {
                ["model_type"] = "universal-sentence-encoder-lite",
                ["hidden_size"] = dimensions,
                ["max_position_embeddings"] = UseLiteMaxLength,
                ["vocab_size"] = UseLitePackage.Pieces,
                ["imported_from"] = $"npm:{entry.PackageSpec} (TensorFlow.js graph model, {imported.ImportedNodes} nodes → {imported.OnnxNodes} ONNX nodes)",
            });
            WriteJson(Path.Combine(staging.Folder, "sentence_bert_config.json"), new JsonObject { ["max_seq_length"] = UseLiteMaxLength });
            WriteJson(Path.Combine(staging.Folder, "modules.json"), new JsonArray
            {
                new JsonObject { ["idx"] = 0, ["name"] = "0", ["path"] = string.Empty, ["type"] = "sentence_transformers.models.Transformer" },
                new JsonObject { ["idx"] = 1, ["name"] = "1", ["path"] = "1_Normalize", ["type"] = "sentence_transformers.models.Normalize" },
            });

            return RegisterTransformerFolder(entry.Name, staging, entry.Description, entry.License, $"{entry.SourceLabel} sha256:{entry.Sha256}", progress);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void WriteJson(string path, JsonNode node) =>
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
