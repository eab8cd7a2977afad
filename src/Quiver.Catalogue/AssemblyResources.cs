using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Quiver.Core;

namespace Quiver.Catalogue;

/// <summary>
/// The managed resources embedded in a .NET assembly file, read with System.Reflection.Metadata: the assembly is
/// never loaded, so no code of a downloaded package runs. An embedded resource lives in the CLI header's resources
/// directory at the offset its ManifestResource row gives, as a 4-byte little-endian length and then the bytes.
/// </summary>
internal sealed class AssemblyResources
{
    private readonly string _path;
    private readonly Dictionary<string, (long Start, long Length)> _resources;

    private AssemblyResources(string path, Dictionary<string, (long Start, long Length)> resources)
    {
        _path = path;
        _resources = resources;
    }

    /// <summary>The names of the resources held in the file itself (linked and forwarded resources are left out).</summary>
    public IReadOnlyCollection<string> Names => _resources.Keys;

    public static AssemblyResources Read(string assemblyPath)
    {
        using var file = File.OpenRead(assemblyPath);
        var fileLength = file.Length;
        try
        {
            using var pe = new PEReader(file, PEStreamOptions.LeaveOpen);
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not { } cor)
            {
                throw new QuiverException($"{assemblyPath} is not a .NET assembly (it has no CLI header), so it holds no managed resources.");
            }

            var resources = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            var directory = cor.ResourcesDirectory;
            if (directory.Size == 0)
            {
                return new AssemblyResources(assemblyPath, resources);
            }

            if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out var directoryStart))
            {
                throw new QuiverException($"{assemblyPath}: the resources directory (RVA 0x{directory.RelativeVirtualAddress:x}) lies in no section; the file is damaged.");
            }

            var metadata = pe.GetMetadataReader();
            Span<byte> lengthBytes = stackalloc byte[4];
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                if (!resource.Implementation.IsNil)
                {
                    continue;
                }

                var name = metadata.GetString(resource.Name);
                if (resource.Offset < 0 || resource.Offset + 4 > directory.Size)
                {
                    throw new QuiverException($"{assemblyPath}: the resource '{name}' starts at offset {resource.Offset}, outside the {directory.Size}-byte resources directory; the file is damaged.");
                }

                file.Position = directoryStart + resource.Offset;
                file.ReadExactly(lengthBytes);
                var length = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
                var start = file.Position;
                if (resource.Offset + 4 + length > directory.Size || start + length > fileLength)
                {
                    throw new QuiverException($"{assemblyPath}: the resource '{name}' claims {length:N0} bytes, more than its resources directory holds; the file is damaged or truncated.");
                }

                resources[name] = (start, length);
            }

            return new AssemblyResources(assemblyPath, resources);
        }
        catch (BadImageFormatException e)
        {
            throw new QuiverException($"{assemblyPath} is not a readable .NET assembly ({e.Message}).", e);
        }
    }

    public long LengthOf(string name) => Find(name).Length;

    /// <summary>Copies a resource's bytes into <paramref name="destination"/>, reporting bytes copied and feeding <paramref name="hash"/> on the way.</summary>
    public async Task CopyToAsync(string name, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken, IncrementalHash? hash = null)
    {
        var (start, length) = Find(name);
        await using var file = File.OpenRead(_path);
        file.Position = start;
        var buffer = new byte[1 << 20];
        long copied = 0;
        while (copied < length)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - copied)), cancellationToken);
            if (read == 0)
            {
                throw new QuiverException($"{_path}: the file ended inside the resource '{name}'; it is truncated.");
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            hash?.AppendData(buffer, 0, read);
            copied += read;
            progress?.Report(copied);
        }
    }

    private (long Start, long Length) Find(string name) =>
        _resources.TryGetValue(name, out var found)
            ? found
            : throw new QuiverException(
                $"{Path.GetFileName(_path)} has no embedded resource named '{name}' (it has: {(_resources.Count == 0 ? "none" : string.Join(", ", _resources.Keys.Order(StringComparer.Ordinal)))}). " +
                "The package's layout changed; pin the version the catalogue names.");
}
