using System.Diagnostics;
using System.Security.Cryptography;
using Quiver.Core;

namespace Quiver.Catalogue;

/// <summary>
/// Fetches a package tarball from the npm registry with <c>npm pack</c> (which runs no install scripts) and checks
/// its SHA-256 against the pinned value before anything reads it.
/// </summary>
public sealed class NpmPackageFetcher
{
    /// <summary>The npm executable; QUIVER_NPM overrides it.</summary>
    public string Npm { get; init; } = Environment.GetEnvironmentVariable("QUIVER_NPM") ?? "npm";

    /// <summary>An npm registry address to use instead of npm's configured one (tests use a local server).</summary>
    public string? Registry { get; init; }

    public async Task<string> FetchAsync(string packageSpec, string destination, CancellationToken cancellationToken)
    {
        // npm runs in the destination folder, so a relative destination would be resolved twice.
        destination = Path.GetFullPath(destination);
        Directory.CreateDirectory(destination);
        var start = new ProcessStartInfo(Npm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = destination,
        };
        // --loglevel=error rather than --silent: npm then still says why it failed, on standard error.
        foreach (var argument in new[] { "pack", packageSpec, "--pack-destination", destination, "--loglevel=error", "--ignore-scripts" })
        {
            start.ArgumentList.Add(argument);
        }

        if (Registry is not null)
        {
            start.ArgumentList.Add("--registry");
            start.ArgumentList.Add(Registry);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new QuiverException($"Could not start '{Npm}'.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new QuiverException(
                $"Could not run '{Npm}' to fetch {packageSpec}: {e.Message}. Install Node.js and npm (apt-get install nodejs npm), or set QUIVER_NPM to npm's path.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var output = (await stdout).Trim();
            if (process.ExitCode != 0)
            {
                throw new QuiverException(
                    $"npm pack {packageSpec} failed (exit code {process.ExitCode}): {NpmErrorOutput.Reason(await stderr)}. Check that the npm registry is reachable (npm ping).");
            }

            var name = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            var path = name is null ? null : Path.Combine(destination, name);
            if (path is null || !File.Exists(path))
            {
                throw new QuiverException($"npm pack {packageSpec} succeeded but printed no tarball name ('{output}').");
            }

            return path;
        }
    }

    /// <summary>Throws unless the file's SHA-256 equals <paramref name="expected"/> (hex).</summary>
    public static async Task VerifyAsync(string path, string expected, string what, CancellationToken cancellationToken)
    {
        string actual;
        await using (var file = File.OpenRead(path))
        {
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        }

        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new QuiverException(
                $"{what}: the downloaded file '{path}' has SHA-256 {actual}, but {expected} is pinned. " +
                "The registry served different bytes than expected; nothing was installed. Check the registry or mirror you use.");
        }
    }
}
