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
    private async Task<(int Code, string Output, string Error)> RunServe(TimeSpan limit, params string[] arguments)
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
