using System.Security.Cryptography;
using Quiver.Core;
using Quiver.Training.Documents;

namespace Quiver.Catalogue;

/// <summary>
/// A Doc2Vec model installed as QUIVER_HOME/models/NAME (manifest kind "doc2vec"): the files of
/// <see cref="Doc2VecFiles"/> beside the manifest.
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

        using var staging = ModelStaging.Begin(paths, name);
        Doc2VecFiles.Write(staging.Folder, model);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(staging.Folder).Order(StringComparer.Ordinal))
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
        return staging.Commit(manifest);
    }

    /// <summary>Reads an installed Doc2Vec model by name (to open it as a text encoder, use <see cref="InstalledModels.OpenTextEncoder"/>).</summary>
    public static Doc2VecModel Open(QuiverPaths paths, string name)
    {
        var manifest = InstalledModels.Manifest(paths, name);
        ModelKinds.Require(manifest, ModelKinds.Doc2Vec, "this needs a Doc2Vec model (quiver train doc2vec).");
        return Doc2VecFiles.Read(Path.Combine(paths.Models, name));
    }
}
