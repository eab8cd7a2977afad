using System.Text.Json;
using Quiver.Core;
using Quiver.Models.Static;

namespace Quiver.Models.Catalogue;

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
            throw new QuiverException($"The manifest {path} is not valid JSON ({e.Message}). Reinstall the model with --force.", e);
        }
    }
}
