using System.Diagnostics;

namespace Quiver.Explorer.Tests;

/// <summary>
/// Installs Debian's <c>chromium</c> for the browser tests when it is missing, so that the README's test command works
/// on a fresh machine (as <c>.ci/run</c> does before it): only as root with apt-get, once per machine at a time (a
/// lock file), and never silently: a failed install fails the tests with apt's last lines.
/// </summary>
internal static class ChromiumInstaller
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Installs chromium when <paramref name="path"/> is the system path and absent; returns apt's output tail when it could not.</summary>
    public static async Task<string?> EnsureAsync(string path)
    {
        if (File.Exists(path) || path != ExplorerFixture.ChromiumPath || !File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
        {
            return null;
        }

        await Gate.WaitAsync();
        try
        {
            using var machineLock = await LockAsync(Path.Combine(Path.GetTempPath(), "quiver-chromium-install.lock"));
            if (File.Exists(path))
            {
                return null;
            }

            var start = new ProcessStartInfo("/bin/sh", ["-c", "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await process.WaitForExitAsync(timeout.Token);
            var text = (await output) + (await errors);
            return File.Exists(path) ? null : string.Join('\n', text.Split('\n').TakeLast(8));
        }
        finally
        {
            Gate.Release();
        }
    }

    // Another test process may be installing at the same time: wait for its lock file to be free.
    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                await Task.Delay(500);
            }
        }
    }
}
