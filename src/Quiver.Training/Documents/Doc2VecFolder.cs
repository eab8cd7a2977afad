using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Quiver.Core;
using Quiver.Models.Catalogue;
using Quiver.Models.Static;
using Quiver.Training.Words;

namespace Quiver.Training.Documents;

/// <summary>
/// A Doc2Vec model installed as QUIVER_HOME/models/NAME (manifest kind "doc2vec"): doc2vec.json (settings and
/// counts), words.qvec (word rows), and raw little-endian float32 files for the output rows and document vectors.
/// </summary>
public static class Doc2VecFolder
{
    public const string Kind = "doc2vec";

    /// <summary>Registers a trained model as NAME, written to a staging folder and swapped in whole.</summary>
    public static ModelManifest Install(QuiverPaths paths, string name, Doc2VecModel model, string source, bool force)
    {
        ResourceName.Validate(name, "model");
        var folder = Path.Combine(paths.Models, name);
        if (!force && InstalledModels.IsInstalled(paths, name))
        {
            throw new QuiverException($"A model named '{name}' is already installed in {folder}. Pass --force to replace it, or choose another name.");
        }

        var staging = folder + ".installing";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var settings = new Settings(model.Options.Mode, model.Options.TrainWords, model.Options.Word2Vec, model.Options.InferEpochs, model.Vocabulary.Counts.ToArray());
        File.WriteAllText(Path.Combine(staging, "doc2vec.json"), JsonSerializer.Serialize(settings));
        WordVectorFile.Write(Path.Combine(staging, "words.qvec"), model.Words);
        WriteFloats(Path.Combine(staging, "output-negative.f32"), model.OutputNegative);
        WriteFloats(Path.Combine(staging, "output-softmax.f32"), model.OutputSoftmax);
        WriteFloats(Path.Combine(staging, "documents.f32"), Enumerable.Range(0, model.DocumentCount).SelectMany(i => model.DocumentVector(i).ToArray()).ToArray());
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(staging).Order(StringComparer.Ordinal))
        {
            hash.AppendData(File.ReadAllBytes(file));
        }

        var manifest = new ModelManifest
        {
            Name = name,
            Kind = Kind,
            Description = $"doc2vec {model.Options.Mode} dim {model.Dimensions}, {model.DocumentCount:N0} documents",
            Dimensions = model.Dimensions,
            Words = model.Vocabulary.Count,
            Revision = Convert.ToHexStringLower(hash.GetHashAndReset()),
            Source = source,
            License = "trained locally",
            InstalledAt = DateTimeOffset.UtcNow,
        };
        File.WriteAllText(Path.Combine(staging, ModelManifest.FileName), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.Move(staging, folder);
        return manifest;
    }

    /// <summary>Opens an installed Doc2Vec model by name, as a text encoder.</summary>
    public static Doc2VecEmbeddingGenerator OpenGenerator(QuiverPaths paths, string name)
    {
        var manifest = InstalledModels.Manifest(paths, name);
        return new Doc2VecEmbeddingGenerator(Open(paths, name), manifest.Name, manifest.Revision);
    }

    public static Doc2VecModel Open(QuiverPaths paths, string name)
    {
        var manifest = InstalledModels.Manifest(paths, name);
        if (manifest.Kind != Kind)
        {
            throw new QuiverException($"The model '{name}' is a {manifest.Kind} model, not a Doc2Vec model (quiver train doc2vec).");
        }

        var folder = Path.Combine(paths.Models, name);
        var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(Path.Combine(folder, "doc2vec.json")))
            ?? throw new StoredDataException(Path.Combine(folder, "doc2vec.json"), $"{folder}/doc2vec.json is empty. Train the model again.");
        var words = WordVectorFile.Read(Path.Combine(folder, "words.qvec"));
        var options = new Doc2VecOptions { Mode = settings.Mode, TrainWords = settings.TrainWords, Word2Vec = settings.Word2Vec, InferEpochs = settings.InferEpochs };
        var vocabulary = new Vocabulary(words.Words, settings.Counts);
        return new Doc2VecModel(
            options,
            vocabulary,
            words.Table.ToArray(),
            ReadFloats(Path.Combine(folder, "documents.f32")) ?? [],
            ReadFloats(Path.Combine(folder, "output-negative.f32")),
            ReadFloats(Path.Combine(folder, "output-softmax.f32")),
            new TrainingSummary(vocabulary.Count, vocabulary.TotalCount, options.Word2Vec.Epochs, 0, TimeSpan.Zero, TimeSpan.Zero));
    }

    private static void WriteFloats(string path, float[]? values)
    {
        if (values is not null)
        {
            File.WriteAllBytes(path, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }
    }

    private static float[]? ReadFloats(string path) =>
        File.Exists(path) ? MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray() : null;

    private sealed record Settings(Doc2VecMode Mode, bool TrainWords, Word2VecOptions Word2Vec, int? InferEpochs, long[] Counts);
}
