using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Quiver.Core;

namespace Quiver.Server.Tests;

/// <summary>Starting the server: where it listens is said once, by its host; a taken port is one line, not stack traces.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("quiver-startup-").FullName;

    private QuiverPaths Paths => new(Path.Combine(_root, "home"));

    [Fact]
    public async Task A_taken_port_fails_the_start_by_exception_and_logs_no_stack_trace()
    {
        using var holder = HoldPort(out var port);
        var logs = new CapturedLogs();
        await using var app = QuiverServer.Build(new ServerOptions { Paths = Paths, Urls = $"http://127.0.0.1:{port}" }, b => b.Logging.AddProvider(logs));

        await Assert.ThrowsAsync<IOException>(() => app.StartAsync());
        Assert.DoesNotContain(logs.Entries, e => e.Exception is not null);
    }

    [Fact]
    public async Task A_started_server_leaves_the_listening_line_to_its_host()
    {
        var logs = new CapturedLogs();
        await using var app = QuiverServer.Build(new ServerOptions { Paths = Paths, Urls = "http://127.0.0.1:0" }, b => b.Logging.AddProvider(logs));
        await app.StartAsync();
        await app.StopAsync();
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("listening", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Quiver_serve_on_a_taken_port_prints_one_line_and_exits_3()
    {
        using var holder = HoldPort(out var port);
        var (code, output, error) = await RunServe(TimeSpan.FromMinutes(2), "--port", port.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(3, code);
        Assert.Equal(string.Empty, output.Trim());
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"error: cannot listen on http://127.0.0.1:{port}: ", line, StringComparison.Ordinal);
        Assert.Contains("--port N or QUIVER_PORT=N", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiver_serve_says_where_it_listens_once()
    {
        var (_, output, error) = await RunServe(TimeSpan.FromSeconds(20), "--port", "0");
        var said = (output + error).Split('\n').Count(l => l.Contains("listening on", StringComparison.OrdinalIgnoreCase));
        Assert.True(said == 1, output + error);
    }

    [Fact]
    public async Task Quiver_serve_https_without_a_certificate_prints_one_line_and_fails()
    {
        var (code, _, error) = await RunServe(TimeSpan.FromSeconds(1), "--urls", "https://127.0.0.1:0");

        Assert.NotEqual(0, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: https://127.0.0.1:0 needs a certificate: pass --tls-cert FILE", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiver_serve_https_takes_its_certificate_from_the_standard_Kestrel_setting()
    {
        using var certificate = new TestCertificate(_root);
        var environment = new Dictionary<string, string> { ["ASPNETCORE_Kestrel__Certificates__Default__Path"] = certificate.Pfx };
        var (_, _, error) = await RunServe(TimeSpan.FromSeconds(1), environment, "--urls", "https://127.0.0.1:0");

        Assert.Contains("listening on https://127.0.0.1:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiver_serve_beyond_loopback_with_no_key_prints_one_line_and_fails()
    {
        var (code, _, error) = await RunServe(TimeSpan.FromSeconds(1), "--urls", "http://0.0.0.0:0");

        Assert.NotEqual(0, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: refusing to listen on http://0.0.0.0:0 with no API key", line, StringComparison.Ordinal);
        Assert.Contains("--api-key KEY or QUIVER_API_KEY, or pass --allow-anonymous", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiver_serve_beyond_loopback_with_allow_anonymous_starts_with_a_warning()
    {
        var (_, _, error) = await RunServe(TimeSpan.FromSeconds(1), "--urls", "http://0.0.0.0:0", "--allow-anonymous");
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Contains(lines, l => l.StartsWith("quiver serve: warning: no API key, and http://0.0.0.0:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("quiver serve: listening on http://0.0.0.0:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quiver_serve_beyond_loopback_with_a_key_starts_without_a_warning()
    {
        var environment = new Dictionary<string, string> { [ServerOptions.ApiKeyVariable] = "secret" };
        var (_, _, error) = await RunServe(TimeSpan.FromSeconds(1), environment, "--urls", "http://0.0.0.0:0");

        Assert.Contains("listening on http://0.0.0.0:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Leftover scratch files never fail a test.
        }
    }

    private static TcpListener HoldPort(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    /// <summary>Runs <c>quiver serve</c> until it exits or, once it has said where it listens, <paramref name="limit"/> passes.</summary>
    private Task<(int Code, string Output, string Error)> RunServe(TimeSpan limit, params string[] arguments) =>
        RunServe(limit, new Dictionary<string, string>(), arguments);

    /// <summary>As above, with <paramref name="environment"/> set over an environment cleared of keys and certificate settings.</summary>
    private async Task<(int Code, string Output, string Error)> RunServe(TimeSpan limit, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.CliPath());
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["QUIVER_HOME"] = Paths.Home;
        start.Environment.Remove("QUIVER_PORT");
        start.Environment.Remove(ServerOptions.ApiKeyVariable);
        start.Environment.Remove(ServerOptions.ReadOnlyApiKeyVariable);
        start.Environment.Remove("ASPNETCORE_Kestrel__Certificates__Default__Path");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource();
        var errors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (error)
                {
                    error.AppendLine(line);
                }

                if (line.Contains("listening on", StringComparison.Ordinal))
                {
                    listening.TrySetResult();
                }
            }
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exited = process.WaitForExitAsync(timeout.Token);
        if (await Task.WhenAny(exited, listening.Task) == listening.Task)
        {
            // Give the console logger, which writes from its own thread, time to print anything it still holds.
            await Task.Delay(limit);
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        await errors;
        return (process.ExitCode, await output, error.ToString());
    }
}
