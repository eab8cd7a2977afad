using Quiver.Core;

namespace Quiver.Catalogue;

/// <summary>A model asked for by name that is not installed.</summary>
public sealed class ModelNotInstalledException : QuiverException
{
    public ModelNotInstalledException(string name, string modelsFolder)
        : base(
            $"The model '{name}' is not installed in {modelsFolder}. " +
            (ModelCatalogue.Find(name) is not null
                ? $"Install it with: quiver models install {name}"
                : $"Known models: {string.Join(", ", ModelCatalogue.Entries.Select(e => e.Name))}; or register your own vectors with: quiver models install {name} --file <vectors>"))
    {
        Name = name;
    }

    public string Name { get; }
}
