using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// Sends hostile requests and checks each answer: never a 5xx, every non-2xx a JSON error in the route's API style,
/// an answer within the timeout, 401/403 where a key is missing, wrong or read-only; and afterwards the protected
/// collections exactly as before (<see cref="StoredState"/>).
/// </summary>
internal sealed class HostileRun(HttpClient client, HostileTarget target, TimeSpan timeout)
{
    /// <summary>The routes that need no key (liveness and readiness probes, and the explorer page's files, which hold no data).</summary>
    private static readonly HashSet<string> Open = ["healthz", "livez", "readyz", "explorer", "explorer_file"];

    private static readonly HashSet<string> Unauthorised = ["headers-no-key", "headers-wrong-key", "headers-empty-bearer", "headers-basic-auth", "headers-long-key"];

    private readonly Lock _gate = new();

    public List<string> Failures { get; } = [];

    /// <summary>Answers per route and status class ("2xx", "4xx", "5xx", "hang", "no answer").</summary>
    public SortedDictionary<string, SortedDictionary<string, int>> Totals { get; } = new(StringComparer.Ordinal);

    public int Sent { get; private set; }

    /// <summary>Requests and seconds spent per mutation (without the field it was applied at).</summary>
    public Dictionary<string, (int Count, double Seconds)> Time { get; } = [];

    /// <summary>Checks that every valid request really succeeds, so each mutation starts from a success.</summary>
    public async Task CheckSeeds(IEnumerable<ValidRequest> seeds, CancellationToken cancel)
    {
        foreach (var seed in seeds)
        {
            var body = seed.Body is null ? seed.RawBody : Encoding.UTF8.GetBytes(seed.Body.ToJsonString());
            var request = new HostileRequest(seed.Operation, "valid", seed.Method, seed.Path, body, body is null ? null : seed.Body is null ? seed.RawContentType : "application/json", [new("api-key", target.AdminKey)]);
            var (status, text) = await Send(request, cancel);
            if (status is < 200 or >= 300)
            {
                Failures.Add($"the valid request {request.Describe()} answered {status}: {Shorten(text)}");
            }

            await AfterWrite(request, cancel);
        }
    }

    /// <summary>Sends the requests, <paramref name="parallel"/> at a time, calling <paramref name="progress"/> after each.</summary>
    public async Task Send(IEnumerable<HostileRequest> requests, int parallel, Action<int>? progress, CancellationToken cancel)
    {
        // Requests that may delete or recreate the scratch collection run alone, so the others find it in place.
        var batch = new List<HostileRequest>();
        foreach (var request in requests)
        {
            if (request.Operation is "delete_collection" or "delete_points" or "create_collection" or "recover_from_snapshot" or "recover_from_uploaded_snapshot")
            {
                await Drain(batch, parallel, progress, cancel);
                await Check(request, cancel);
                await AfterWrite(request, cancel);
                progress?.Invoke(Sent);
                continue;
            }

            batch.Add(request);
            if (batch.Count >= 256)
            {
                await Drain(batch, parallel, progress, cancel);
            }
        }

        await Drain(batch, parallel, progress, cancel);
    }

    private async Task Drain(List<HostileRequest> batch, int parallel, Action<int>? progress, CancellationToken cancel)
    {
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancel }, async (request, token) =>
        {
            await Check(request, token);
            progress?.Invoke(Sent);
        });
        batch.Clear();
    }

    private async Task AfterWrite(HostileRequest request, CancellationToken cancel)
    {
        if (request.Operation is "delete_collection" or "delete_points")
        {
            await StoredState.EnsureScratch(client, target, cancel);
        }
    }

    private async Task Check(HostileRequest request, CancellationToken cancel)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (status, text) = await Send(request, cancel);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var failure = Judge(request, status, text);
        lock (_gate)
        {
            Sent++;
            var kind = request.Mutation.Split(" at ")[0];
            var (count, total) = Time.GetValueOrDefault(kind);
            Time[kind] = (count + 1, total + seconds);
            var klass = status switch { -2 => "unsendable", -1 => "hang", 0 => "no answer", _ => $"{status / 100}xx" };
            var row = Totals.TryGetValue(request.Route, out var found) ? found : Totals[request.Route] = new(StringComparer.Ordinal);
            row[klass] = row.GetValueOrDefault(klass) + 1;
            if (failure is not null)
            {
                Failures.Add($"{request.Describe()} -> {failure}");
            }
        }
    }

    private string? Judge(HostileRequest request, int status, string text)
    {
        switch (status)
        {
            case -2: return null;
            case -1: return $"no answer within {timeout.TotalSeconds:F0} s (a hang)";
            case 0: return $"the connection failed: {text}";
            case >= 500: return $"{status}: {Shorten(text)}";
        }

        var open = Open.Contains(request.Operation);
        if (!open && Unauthorised.Contains(request.Mutation) && status != 401)
        {
            return $"{status} without a valid key (expected 401): {Shorten(text)}";
        }

        if (!open && request.Mutation == "headers-read-only-key" && status is >= 200 and < 300)
        {
            return $"{status}: a read-only key wrote (expected 403)";
        }

        if (status is >= 200 and < 300 || (status == 400 && text.Length == 0 && request.RefusedByKestrel))
        {
            return null;
        }

        try
        {
            var json = JsonNode.Parse(text);
            var message = json?["error"]?["message"] ?? json?["status"]?["error"];
            return message is JsonValue value && value.TryGetValue<string>(out var words) && words.Length >= 10
                ? null
                : $"{status} without an error message in the API's JSON: {Shorten(text)}";
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON: {Shorten(text)}";
        }
    }

    // The status and body, or -1 when the timeout passed, 0 when the connection failed, -2 when the client could not send it.
    private async Task<(int Status, string Text)> Send(HostileRequest request, CancellationToken cancel)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(message, deadline.Token);
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            if (response.Content.Headers.ContentType?.MediaType is { } type && type != "application/json" && (int)response.StatusCode >= 300)
            {
                text = $"({type}) {text}";
            }

            return ((int)response.StatusCode, text);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return (-1, string.Empty);
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message);
        }
        catch (InvalidOperationException e)
        {
            // The client would not send it: ASP.NET Core's in-memory test client cannot carry a path with %00, which
            // Kestrel answers with 400 (the bench sends it over a socket). Counted apart, not as an answer.
            return (-2, e.Message);
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>Lines of totals: by status class overall, then per route.</summary>
    public IEnumerable<string> Report()
    {
        var classes = Totals.Values.SelectMany(r => r).GroupBy(p => p.Key).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Sum(p => p.Value)}");
        yield return $"{Sent} requests over {Totals.Count} routes: {string.Join(", ", classes)}";
        foreach (var (route, row) in Totals)
        {
            yield return $"  {route,-70} {string.Join("  ", row.Select(p => $"{p.Key} {p.Value,4}"))}";
        }

        yield return "slowest mutations (requests, seconds in all): " + string.Join(", ", Time.OrderByDescending(p => p.Value.Seconds).Take(6).Select(p => $"{p.Key} {p.Value.Count} {p.Value.Seconds:F1} s"));
    }
}
