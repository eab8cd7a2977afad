using NuGet.Common;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using Quiver.Core;

namespace Quiver.Catalogue;

/// <summary>
/// Fetches a .nupkg with NuGet's own client library from the package sources of the user's NuGet configuration
/// (NuGet.Config files found from <see cref="Root"/> upwards, the user's and the machine's; their credentials and
/// proxy), trying each enabled source in order. No registry address is written here: the configuration decides.
/// The caller checks the file's SHA-256 before anything reads it.
/// </summary>
public sealed class NuGetPackageFetcher
{
    /// <summary>One NuGet.Config to use instead of the default chain (QUIVER_NUGET_CONFIG sets it; tests use a local feed).</summary>
    public string? ConfigFile { get; init; } = Environment.GetEnvironmentVariable("QUIVER_NUGET_CONFIG") is { Length: > 0 } file ? file : null;

    /// <summary>The folder NuGet.Config files are looked for from, upwards (default: the current folder).</summary>
    public string? Root { get; init; }

    /// <summary>Downloads <paramref name="id"/> <paramref name="version"/> into <paramref name="destination"/> and returns the file's path.</summary>
    public async Task<string> FetchAsync(string id, string version, string destination, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var settings = LoadSettings();
        var configFiles = settings.GetConfigFilePaths().ToList();
        var configuration = configFiles.Count == 0 ? "no NuGet.Config file" : string.Join(", ", configFiles);
        var sources = new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled).ToList();
        if (sources.Count == 0)
        {
            throw new QuiverException(
                $"No NuGet package source is enabled in the NuGet configuration in use ({configuration}), so {id} {version} cannot be fetched. " +
                "Add one (dotnet nuget add source URL-or-folder), or pass --package-file with the .nupkg.");
        }

        var nugetVersion = NuGetVersion.Parse(version);
        Directory.CreateDirectory(destination);
        var path = Path.Combine(destination, $"{id.ToLowerInvariant()}.{nugetVersion.ToNormalizedString()}.nupkg");
        var failures = new List<string>();
        using var cache = new SourceCacheContext { NoCache = true, DirectDownload = true };
        foreach (var source in sources)
        {
            progress?.Report(new InstallProgress($"fetching {id} {version} from {source.Name} ({source.Source})"));
            try
            {
                var repository = Repository.Factory.GetCoreV3(source);
                var finder = await repository.GetResourceAsync<FindPackageByIdResource>(cancellationToken)
                    ?? throw new FatalProtocolException($"the source does not offer a package download resource");
                bool found;
                await using (var file = File.Create(path))
                {
                    found = await finder.CopyNupkgToStreamAsync(id, nugetVersion, file, cache, NullLogger.Instance, cancellationToken);
                }

                if (found)
                {
                    progress?.Report(new InstallProgress($"downloaded {new FileInfo(path).Length / 1e6:F1} MB from {source.Name}"));
                    return path;
                }

                failures.Add($"{source.Name} ({source.Source}): no such package version");
            }
            catch (Exception e) when (e is FatalProtocolException or IOException or HttpRequestException or UnauthorizedAccessException or ArgumentException)
            {
                failures.Add($"{source.Name} ({source.Source}): {Innermost(e)}");
            }

            File.Delete(path);
        }

        throw new QuiverException(
            $"Could not fetch the NuGet package {id} {version}: {string.Join("; ", failures)}. " +
            $"The NuGet configuration in use is {configuration}. Check that a source is reachable and serves this package " +
            "(dotnet nuget list source), set QUIVER_NUGET_CONFIG to another NuGet.Config, or pass --package-file with the .nupkg.");
    }

    private ISettings LoadSettings()
    {
        if (ConfigFile is null)
        {
            return Settings.LoadDefaultSettings(Root ?? Environment.CurrentDirectory);
        }

        var full = Path.GetFullPath(ConfigFile);
        if (!File.Exists(full))
        {
            throw new QuiverException($"The NuGet configuration file '{full}' (QUIVER_NUGET_CONFIG) does not exist. Point it at a NuGet.Config, or unset it to use the default configuration.");
        }

        return Settings.LoadSpecificSettings(Path.GetDirectoryName(full)!, Path.GetFileName(full));
    }

    // NuGet wraps the cause (a refused connection, a name that does not resolve) in one or two layers of its own.
    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(" ← ", messages);
    }
}
