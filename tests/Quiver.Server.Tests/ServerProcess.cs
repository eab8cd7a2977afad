using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Quiver.Server.Tests;

/// <summary>`quiver serve` as a child process on a free loopback port, for tests that kill it.</summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex Listening();

    public static string CliPath()
    {
        // tests/Quiver.Server.Tests/bin/<Configuration>/net10.0 → src/Quiver.Cli/bin/<Configuration>/net10.0/quiver.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "src", "Quiver.Cli", "bin", configuration, framework, "quiver.dll");
    }

    public static async Task<ServerProcess> Start(string home, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(CliPath());
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["QUIVER_HOME"] = home;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var line = await process.StandardError.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"quiver serve exited with {(process.WaitForExit(5000) ? process.ExitCode : -1)} before listening.");
            if (Listening().Match(line) is { Success: true } match)
            {
                _ = Task.Run(async () =>
                {
                    while (await process.StandardError.ReadLineAsync() is not null)
                    {
                    }
                });
                return new ServerProcess(process, new Uri(match.Groups[1].Value));
            }
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
