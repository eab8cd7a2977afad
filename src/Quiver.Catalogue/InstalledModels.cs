using System.Text.Json;
using Quiver.Core;
using Quiver.Core.Spaces;
using Microsoft.Extensions.AI;
using Quiver.Models;
using Quiver.Models.Onnx;

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
        var manifest = Manifest(paths, name);
        ModelKinds.Require(manifest, ModelKinds.WordVectors, "this command needs word vectors.");
        return WordVectorModel.Load(Path.Combine(paths.Models, name), manifest);
    }

    /// <summary>The manifest of an installed model (its kind, size, revision, source).</summary>
    public static ModelManifest Manifest(QuiverPaths paths, string name)
    {
        ModelInstaller.ValidateName(name);
        return TryReadManifest(Path.Combine(paths.Models, name)) ?? throw new ModelNotInstalledException(name, paths.Models);
    }

    /// <summary>Loads an installed transformer model.</summary>
    public static TransformerModel OpenTransformer(QuiverPaths paths, string name)
    {
        var manifest = Manifest(paths, name);
        ModelKinds.Require(manifest, ModelKinds.Transformer, "this needs a transformer model (quiver models install <folder>).");
        return new TransformerModel(manifest, TransformerModelFolder.Load(Path.Combine(paths.Models, name)));
    }

    /// <summary>Loads an installed image model.</summary>
    public static ImageModel OpenImage(QuiverPaths paths, string name)
    {
        var manifest = Manifest(paths, name);
        ModelKinds.Require(manifest, ModelKinds.Image, $"this needs an image model (quiver models install {ModelCatalogue.DefaultImageModel}).");
        return new ImageModel(manifest, Path.Combine(paths.Models, name));
    }

    /// <summary>
    /// Any installed text model (transformer, word vectors, Doc2Vec, remote) as an encoder, its folder read once.
    /// <paramref name="pooling"/> names the pooling (sif or mean for word vectors; mean, cls, max or last-token for
    /// transformers; none for remote and Doc2Vec models); null takes the model's own. With a <paramref name="role"/>,
    /// a transformer puts the model's prompt for that role before each text (unless <paramref name="options"/> sets
    /// its own); <paramref name="options"/> concern transformers, and a remote model refuses those that cannot apply.
    /// <paramref name="promptName"/> names a prompt of the model's own (query, document, ...) to put before each text.
    /// </summary>
    public static ITextEncoder OpenTextEncoder(
        QuiverPaths paths, string name, string? pooling = null, TransformerEncoderOptions? options = null, TextRole? role = null, string? promptName = null)
    {
        var manifest = Manifest(paths, name);
        return ModelKinds.Of(manifest).OpenText(Path.Combine(paths.Models, name), manifest, pooling, options, role, promptName);
    }

    /// <summary>
    /// A sentence-embedding generator for any installed text model: <see cref="OpenTextEncoder"/> adapted to
    /// Microsoft.Extensions.AI. The generator answers <c>GetService(typeof(EmbeddingSpace))</c> with the space of its
    /// vectors and <c>GetService(typeof(ITextEncoder))</c> with the encoder.
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> OpenTextGenerator(
        QuiverPaths paths, string name, string? pooling = null, TransformerEncoderOptions? options = null, TextRole? role = null, string? promptName = null) =>
        new TextEmbeddingGenerator(OpenTextEncoder(paths, name, pooling, options, role, promptName));

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
