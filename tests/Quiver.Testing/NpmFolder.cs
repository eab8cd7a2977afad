using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Quiver.Testing;

/// <summary>
/// A folder with a package.json and package-lock.json whose packages a test needs: <c>npm ci --ignore-scripts</c>
/// runs once (a file lock in <see cref="TestCache"/> keeps test processes from installing at the same time), then node
/// scripts run there.
/// </summary>
public sealed class NpmFolder(string folder, params string[] packages)
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private readonly Lock _gate = new();
    private bool _installed;

    public string Folder { get; } = folder;

    public void EnsureInstalled()
    {
        lock (_gate)
        {
            if (_installed)
            {
                return;
            }

            Directory.CreateDirectory(TestCache.Folder);
            var lockPath = Path.Combine(TestCache.Folder, "npm-ci-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Folder)))[..16] + ".lock");
            var deadline = DateTime.UtcNow + InstallTimeout;
            FileStream? held = null;
            while (held is null)
            {
                try
                {
                    held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(250);
                }
            }

            using (held)
            {
                if (!IsInstalled())
                {
                    var (code, _, error) = Run(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], InstallTimeout);
                    if (code != 0 || !IsInstalled())
                    {
                        throw new InvalidOperationException(
                            $"npm ci could not install {string.Join(", ", packages)} in {Folder} (exit code {code}): {Reason(error)}. " +
                            "These reference tests need the npm registry; dotnet test --filter \"Needs!=npm\" runs the tests that do not.");
                    }
                }
            }

            _installed = true;
        }
    }

    public (int ExitCode, string Output, string Error) Node(IEnumerable<string> arguments, TimeSpan timeout)
    {
        EnsureInstalled();
        return Run("node", arguments, timeout);
    }

    private bool IsInstalled()
    {
        using var lockFile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "package-lock.json")));
        var locked = lockFile.RootElement.GetProperty("packages");
        foreach (var name in packages)
        {
            var manifest = Path.Combine(Folder, "node_modules", name, "package.json");
            if (!File.Exists(manifest))
            {
                return false;
            }

            using var installed = JsonDocument.Parse(File.ReadAllBytes(manifest));
            if (installed.RootElement.GetProperty("version").GetString() != locked.GetProperty("node_modules/" + name).GetProperty("version").GetString())
            {
                return false;
            }
        }

        return true;
    }

    // npm ends standard error with why it failed and where its full log is; what comes before is warnings and progress.
    private static string Reason(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "npm printed nothing on standard error" : string.Join(" / ", lines.TakeLast(4)).TrimEnd('.');
    }

    private (int ExitCode, string Output, string Error) Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}: these tests need Node.js 20+ and npm on PATH.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
