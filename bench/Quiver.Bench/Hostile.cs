using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Quiver.Tests.Shared.Hostile;

namespace Quiver.Bench;

/// <summary>
/// The full hostile-request set (tests/Shared/Hostile: every variant of every mutation of every operation's valid
/// requests) against a `quiver serve` process on a temporary home: totals by status class and route, and a non-zero
/// exit on any 5xx, hang, missing JSON error, key not enforced, error logged by the server, or change to the data.
/// </summary>
internal static class Hostile
{
    public static int Run(Args options)
    {
        var seed = int.Parse(options.Get("seed", "18"), CultureInfo.InvariantCulture);
        var model = options.Get("model", "all-minilm-l6-v2-int8");
        var models = options.Get("models", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".quiver", "models"));
        var parallel = int.Parse(options.Get("parallel", "4"), CultureInfo.InvariantCulture);
        var maxBodyMib = int.Parse(options.Get("max-body-mib", "8"), CultureInfo.InvariantCulture);
        var timeout = TimeSpan.FromSeconds(double.Parse(options.Get("timeout-s", "30"), CultureInfo.InvariantCulture));

        var home = Directory.CreateTempSubdirectory("quiver-hostile-").FullName;
        try
        {
            // The model is linked, not copied: the server only reads it.
            Directory.CreateDirectory(Path.Combine(home, "models"));
            var folder = Path.Combine(models, model);
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"hostile: no model '{model}' in {models}; install it (./quiver models install {model}) or give --model NAME --models DIR.");
                return 2;
            }

            Directory.CreateSymbolicLink(Path.Combine(home, "models", model), folder);
            return RunAgainst(ServedQuiver.DllPath(options), home, model, seed, parallel, maxBodyMib, timeout).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<int> RunAgainst(string dll, string home, string model, int seed, int parallel, int maxBodyMib, TimeSpan timeout)
    {
        var target = new HostileTarget { Model = model, AdminKey = "hostile-admin", ReadOnlyKey = "hostile-reader", MaxBodyBytes = (long)maxBodyMib << 20 };
        var environment = new Dictionary<string, string> { ["QUIVER_API_KEY"] = target.AdminKey, ["QUIVER_READ_ONLY_API_KEY"] = target.ReadOnlyKey };
        using var server = await ServedQuiver.Start(dll, home, environment, "--max-body-mib", maxBodyMib.ToString(CultureInfo.InvariantCulture), "--model", model);
        using var client = new HttpClient { BaseAddress = server.Url, Timeout = Timeout.InfiniteTimeSpan };
        Console.Error.WriteLine($"› quiver serve (pid {server.ProcessId}) at {server.Url}, home {home}, model {model}, body limit {maxBodyMib} MiB, seed {seed}");

        using var documentRequest = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        documentRequest.Headers.Add("api-key", target.AdminKey);
        using var documentResponse = await client.SendAsync(documentRequest);
        var document = (JsonObject)JsonNode.Parse(await documentResponse.Content.ReadAsStringAsync())!;

        await StoredState.SetUp(client, target, CancellationToken.None);
        var before = await StoredState.Fingerprint(client, target, CancellationToken.None);
        var generator = new HostileGenerator(document, target, seed);
        var run = new HostileRun(client, target, timeout);
        await run.CheckSeeds(generator.Seeds(), CancellationToken.None);
        var requests = generator.Generate(full: true).ToList();
        var logBefore = server.Log.Count;
        Console.Error.WriteLine($"› {generator.Seeds().Count} valid requests for {generator.Seeds().Select(s => s.Operation).Distinct().Count()} operations; {requests.Count:N0} hostile requests, {parallel} at a time");

        var clock = Stopwatch.StartNew();
        var shown = 0;
        await run.Send(requests, parallel, sent =>
        {
            if (sent - Volatile.Read(ref shown) >= 250 || sent == requests.Count)
            {
                Volatile.Write(ref shown, sent);
                Console.Error.WriteLine($"  {sent,6:N0} / {requests.Count:N0} sent, {clock.Elapsed.TotalSeconds,5:F0} s");
            }
        }, CancellationToken.None);

        var after = await StoredState.Fingerprint(client, target, CancellationToken.None);
        using var health = await client.GetAsync("/healthz");
        var logged = server.Log.Skip(logBefore).ToList();
        var errors = logged.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        var stackLines = logged.Count(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));

        foreach (var line in run.Report())
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"data: {(before == after ? "unchanged" : "CHANGED")}\n{after}");
        Console.WriteLine($"server: {(server.HasExited ? "EXITED" : "up")}, /healthz {(int)health.StatusCode}; {logged.Count:N0} log lines, {errors.Count} errors logged, {stackLines} stack-trace lines; {clock.Elapsed.TotalSeconds:F1} s");
        var hangs = run.Totals.Values.Sum(r => r.GetValueOrDefault("hang"));
        var fives = run.Totals.Values.Sum(r => r.GetValueOrDefault("5xx"));
        Console.WriteLine($"summary: {run.Sent:N0} hostile requests, {fives} x 5xx, {hangs} hangs, {run.Failures.Count} failures, data {(before == after ? "unchanged" : "changed")}");
        foreach (var failure in run.Failures.Take(50))
        {
            Console.WriteLine("FAIL " + failure);
        }

        foreach (var error in errors.Take(10))
        {
            Console.WriteLine("LOGGED " + error);
        }

        return run.Failures.Count == 0 && before == after && errors.Count == 0 && !server.HasExited && health.IsSuccessStatusCode ? 0 : 1;
    }
}
