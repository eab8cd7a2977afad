using System.Text.Json;
using Quiver.Core;

namespace Quiver.Catalogue;

/// <summary>
/// A model being installed as QUIVER_HOME/models/NAME: written into a clean staging folder beside it
/// (NAME.installing), then committed whole with its manifest, so readers see either the old complete model or the
/// new one. Disposed uncommitted (a failed install), the staging folder is removed and the installed model untouched.
/// </summary>
internal sealed class ModelStaging : IDisposable
{
    private bool _committed;

    private ModelStaging(QuiverPaths paths, string name)
    {
        Target = Path.Combine(paths.Models, name);
        Folder = Target + ".installing";
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        Directory.CreateDirectory(Folder);
    }

    /// <summary>Where the model's files are written until <see cref="Commit"/>.</summary>
    public string Folder { get; }

    /// <summary>The model's folder once committed.</summary>
    public string Target { get; }

    /// <summary>Starts installing model <paramref name="name"/> (whose name the caller has checked) in a fresh staging folder.</summary>
    public static ModelStaging Begin(QuiverPaths paths, string name) => new(paths, name);

    /// <summary>Writes <paramref name="manifest"/> beside the staged files and swaps the folder in for any installed one.</summary>
    public ModelManifest Commit(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        File.WriteAllText(Path.Combine(Folder, ModelManifest.FileName), JsonSerializer.Serialize(manifest, InstalledModels.Json));
        if (Directory.Exists(Target))
        {
            var old = Target + ".old";
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }

            Directory.Move(Target, old);
            Directory.Move(Folder, Target);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(Folder, Target);
        }

        _committed = true;
        return manifest;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
