using System.Text.Json;
using Quiver.Core;
using Quiver.Core.Spaces;
using Microsoft.Extensions.AI;
using Quiver.Models.Onnx;
using Quiver.Models.Static;

namespace Quiver.Catalogue;

/// <summary>The models installed under QUIVER_HOME/models.</summary>
public static class InstalledModels
{
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static IReadOnlyList<ModelManifest> List(QuiverPaths paths)
    {
        if (!Directory.Exists(paths.Models))
        {
            return [];
        }

        return Directory.EnumerateDirectories(paths.Models)
            .Select(TryReadManifest)
            .OfType<ModelManifest>()
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
    }

    public static bool IsInstalled(QuiverPaths paths, string name) => TryReadManifest(Path.Combine(paths.Models, name)) is not null;

    /// <summary>Loads an installed word-vector model.</summary>
    public static WordVectorModel Open(QuiverPaths paths, string name)
    {
        ModelInstaller.ValidateName(name);
        var folder = Path.Combine(paths.Models, name);
        var manifest = TryReadManifest(folder) ?? throw new ModelNotInstalledException(name, paths.Models);
        if (manifest.Kind != WordVectorModel.Kind)
        {
            throw new QuiverException($"The model '{name}' is a {manifest.Kind} model; this command needs word vectors.");
        }

        return WordVectorModel.Load(folder, manifest);
    }

    /// <summary>The kind ("word-vectors" or "transformer") of an installed model.</summary>
    public static ModelManifest Manifest(QuiverPaths paths, string name)
    {
        ModelInstaller.ValidateName(name);
        return TryReadManifest(Path.Combine(paths.Models, name)) ?? throw new ModelNotInstalledException(name, paths.Models);
    }

    /// <summary>Loads an installed transformer model.</summary>
    public static TransformerModel OpenTransformer(QuiverPaths paths, string name)
    {
        var manifest = Manifest(paths, name);
        if (manifest.Kind != TransformerModel.Kind)
        {
            throw new QuiverException($"The model '{name}' is a {manifest.Kind} model; this needs a transformer model (quiver models install <folder>).");
        }

        return new TransformerModel(manifest, TransformerModelFolder.Load(Path.Combine(paths.Models, name)));
    }

    /// <summary>Loads an installed image model.</summary>
    public static ImageModel OpenImage(QuiverPaths paths, string name)
    {
        var manifest = Manifest(paths, name);
        if (manifest.Kind != ImageModel.Kind)
        {
            throw new QuiverException($"The model '{name}' is a {manifest.Kind} model; this needs an image model (quiver models install {ModelCatalogue.DefaultImageModel}).");
        }

        return new ImageModel(manifest, Path.Combine(paths.Models, name));
    }

    /// <summary>
    /// A sentence-embedding generator for any installed text model. <paramref name="pooling"/> names the pooling
    /// (sif or mean for word vectors; mean, cls, max or last-token for transformers; none for remote models); null
    /// takes the model's own. The generator answers <c>GetService(typeof(EmbeddingSpace))</c> with the space of its
    /// vectors. With a <paramref name="role"/>, a transformer puts the model's prompt for that role before each text
    /// (unless <paramref name="options"/> sets its own).
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> OpenTextGenerator(
        QuiverPaths paths, string name, string? pooling = null, TransformerEncoderOptions? options = null, TextRole? role = null)
    {
        var manifest = Manifest(paths, name);
        if (manifest.Kind == TransformerModel.Kind)
        {
            return OpenTransformer(paths, name).CreateGenerator(
                (options ?? new TransformerEncoderOptions()) with { Pooling = TransformerModel.ParsePooling(pooling) ?? options?.Pooling },
                role);
        }

        if (manifest.Kind == RemoteModel.Kind)
        {
            return RemoteModel.Open(paths, name).CreateGenerator(pooling, options);
        }

        StaticPooling staticPooling = StaticPooling.Sif;
        if (pooling is not null && !Enum.TryParse(pooling, ignoreCase: true, out staticPooling))
        {
            throw new QuiverException($"'{pooling}' is not a pooling for the word-vector model '{name}'; use sif or mean.");
        }

        return Open(paths, name).CreateGenerator(staticPooling);
    }

    internal static ModelManifest? TryReadManifest(string folder)
    {
        var path = Path.Combine(folder, ModelManifest.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new StoredDataException(path, $"The manifest {path} is not valid JSON ({e.Message}). Reinstall the model with --force.", e);
        }
    }
}
