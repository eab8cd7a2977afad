using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Quiver.Bench;

/// <summary>
/// `quiver serve` as a child process on a free loopback port and a given QUIVER_HOME, for the benchmarks that send it
/// requests over a socket or kill it. Its log lines are kept, so a run can count errors the server logged.
/// </summary>
internal sealed partial class ServedQuiver : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _log;

    private ServedQuiver(Process process, Uri url, Uri? grpcUrl, List<string> log)
    {
        _process = process;
        Url = url;
        GrpcUrl = grpcUrl;
        _log = log;
    }

    public Uri Url { get; }

    /// <summary>Where its gRPC API listens, when it serves one.</summary>
    public Uri? GrpcUrl { get; }

    public int ProcessId => _process.Id;

    /// <summary>The server's log lines so far.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"and (http://[^\s,]+) \(gRPC")]
    private static partial Regex ListeningGrpc();

    /// <summary>The quiver.dll that ./quiver builds (artifacts/bin), unless --quiver names another.</summary>
    public static string DllPath(Args options) =>
        Path.GetFullPath(options.Get("quiver", Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts", "bin", "quiver.dll")));

    public static async Task<ServedQuiver> Start(string dll, string home, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build it with ./quiver --help (or give --quiver PATH/quiver.dll).");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])[dll, "serve", "--urls", "http://127.0.0.1:0", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["QUIVER_HOME"] = home;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        Uri? grpcUrl = null;
        var served = new List<string>();
        void Read(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException($"quiver serve exited before listening:\n{string.Join('\n', served.TakeLast(20))}"));
                return;
            }

            lock (served)
            {
                served.Add(line);
            }

            if (Listening().Match(line) is { Success: true } match)
            {
                grpcUrl = ListeningGrpc().Match(line) is { Success: true } grpc ? new Uri(grpc.Groups[1].Value) : null;
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
        return new ServedQuiver(process, url, grpcUrl, served);
    }

    /// <summary>Waits for /readyz (the indexes loaded) after a start.</summary>
    public async Task WaitReady(HttpClient client)
    {
        for (var tries = 0; ; tries++)
        {
            using var response = await client.GetAsync(new Uri(Url, "/readyz"));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (tries > 600)
            {
                throw new TimeoutException($"{Url} did not become ready in a minute: {(int)response.StatusCode}");
            }

            await Task.Delay(100);
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL on Unix: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
