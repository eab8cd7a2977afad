using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Quiver.Bench;

/// <summary>
/// Crash safety over HTTP: rounds of two writer clients upserting points with known vectors (random ids, wait=true)
/// into a `quiver serve` process, kill -9 at a random moment, restart, then check that every acknowledged point is
/// there with its vector, that every stored point is the top hit of an exact search for its own vector, and that
/// the collections of earlier rounds still hold what was checked in them. Each round writes a new collection in the
/// same home, so every restart also reopens all the earlier ones.
/// </summary>
internal static class CrashHttp
{
    private const int Dimensions = 8;

    public static int Run(Args options)
    {
        var rounds = int.Parse(options.Get("rounds", "100"), CultureInfo.InvariantCulture);
        var writers = int.Parse(options.Get("writers", "2"), CultureInfo.InvariantCulture);
        var seed = int.Parse(options.Get("seed", "9"), CultureInfo.InvariantCulture);
        var minKill = int.Parse(options.Get("min-kill-ms", "150"), CultureInfo.InvariantCulture);
        var maxKill = int.Parse(options.Get("max-kill-ms", "1500"), CultureInfo.InvariantCulture);
        var home = Directory.CreateTempSubdirectory("quiver-crash-http-").FullName;
        try
        {
            return Rounds(ServedQuiver.DllPath(options), home, rounds, writers, seed, minKill, maxKill).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>The vector of point <paramref name="id"/>: 8 numbers in [-1, 1) with 24-bit mantissas, so JSON carries them exactly.</summary>
    public static float[] VectorOf(ulong id)
    {
        var vector = new float[Dimensions];
        var state = id;
        for (var i = 0; i < vector.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            vector[i] = ((z >> 40) / (float)(1 << 23)) - 1f;
        }

        return vector;
    }

    private static async Task<int> Rounds(string dll, string home, int rounds, int writerCount, int seed, int minKill, int maxKill)
    {
        var random = new Random(seed);
        var empty = new Dictionary<string, string>();
        var server = await ServedQuiver.Start(dll, home, empty);
        var client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(2) };
        var checkedCounts = new Dictionary<string, long>();
        var checkerWorks = false;
        long acknowledgedTotal = 0, lostTotal = 0, wrongTotal = 0, unfoundTotal = 0, earlierBad = 0, upserts = 0;
        var clock = Stopwatch.StartNew();
        Console.Error.WriteLine($"› crash-http: {rounds} rounds, {writerCount} writers, kill -9 after {minKill}-{maxKill} ms, home {home}, seed {seed}");
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                var started = clock.Elapsed;
                var name = $"crash-{round:D3}";
                (await client.PutAsJsonAsync($"/collections/{name}", new { vectors = new { size = Dimensions, distance = "Euclid" } })).EnsureSuccessStatusCode();

                // Writers: random ids, known vectors, wait=true; an id counts once its upsert was answered "completed".
                var acknowledged = new ConcurrentDictionary<ulong, bool>();
                var writerSeeds = Enumerable.Range(0, writerCount).Select(_ => random.Next()).ToArray();
                var writes = writerSeeds.Select(s => Task.Run(async () =>
                {
                    var own = new Random(s);
                    while (true)
                    {
                        var ids = Enumerable.Range(0, own.Next(1, 17)).Select(_ => (ulong)own.NextInt64(1L << 40)).Distinct().ToArray();
                        try
                        {
                            using var response = await client.PutAsJsonAsync(
                                $"/collections/{name}/points?wait=true",
                                new { points = ids.Select(id => new { id, vector = VectorOf(id), payload = new { round } }) });
                            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
                            if (!response.IsSuccessStatusCode || body?["result"]?["status"]?.GetValue<string>() != "completed")
                            {
                                throw new InvalidOperationException($"an upsert was refused: {(int)response.StatusCode} {body?.ToJsonString()}");
                            }

                            Interlocked.Increment(ref upserts);
                            foreach (var id in ids)
                            {
                                acknowledged[id] = true;
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
                        {
                            return; // the server is gone
                        }
                    }
                })).ToList();

                var killAfter = random.Next(minKill, maxKill + 1);
                await Task.Delay(killAfter);
                server.Kill();
                await Task.WhenAll(writes);
                server.Dispose();
                client.Dispose();

                server = await ServedQuiver.Start(dll, home, empty);
                client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(2) };
                await server.WaitReady(client);

                var (lost, wrong) = await CheckAcknowledged(client, name, [.. acknowledged.Keys]);
                var (stored, unfound, wrongStored) = await CheckExactSearch(client, name);
                var bad = 0;
                foreach (var (earlier, count) in checkedCounts)
                {
                    bad += await Count(client, earlier) == count ? 0 : 1;
                }

                checkedCounts[name] = stored;
                acknowledgedTotal += acknowledged.Count;
                lostTotal += lost;
                wrongTotal += wrong + wrongStored;
                unfoundTotal += unfound;
                earlierBad += bad;
                var verdict = lost + wrong + wrongStored + unfound + bad == 0 ? "ok" : "FAILED";
                Console.Error.WriteLine(
                    $"  round {round,3}/{rounds}: killed after {killAfter,4} ms, {acknowledged.Count,5:N0} acknowledged, {stored,5:N0} stored; " +
                    $"{lost} lost, {wrong + wrongStored} wrong vectors, {unfound} not found by exact search, {bad} earlier collections changed " +
                    $"[{(clock.Elapsed - started).TotalSeconds:F1} s] {verdict}");
            }

            checkerWorks = await CheckerSeesADeletedPoint(client, $"crash-{rounds:D3}");
        }
        finally
        {
            server.Dispose();
            client.Dispose();
        }

        var failed = lostTotal + wrongTotal + unfoundTotal + earlierBad + (checkerWorks ? 0 : 1);
        Console.WriteLine(
            $"crash-http: {rounds} rounds of kill -9 with {writerCount} writers: {acknowledgedTotal:N0} acknowledged points in {upserts:N0} upserts, " +
            $"{lostTotal} lost, {wrongTotal} with a wrong vector, {unfoundTotal} not found by an exact search for their own vector, " +
            $"{earlierBad} changes to earlier rounds' collections; {clock.Elapsed.TotalSeconds:F0} s" +
            (checkerWorks ? string.Empty : "; THE CHECKER MISSED A DELETED POINT"));
        return failed == 0 ? 0 : 1;
    }

    // The checks must see a loss: one point of the last round deleted on purpose has to show as lost and its
    // neighbours' searches must still find themselves.
    private static async Task<bool> CheckerSeesADeletedPoint(HttpClient client, string name)
    {
        using var page = await client.PostAsJsonAsync($"/collections/{name}/points/scroll", new { limit = 2, with_vector = false, with_payload = false });
        var ids = (await page.Content.ReadFromJsonAsync<JsonObject>())!["result"]!["points"]!.AsArray().Select(p => p!["id"]!.GetValue<ulong>()).ToArray();
        if (ids.Length < 2)
        {
            return false;
        }

        (await client.PostAsJsonAsync($"/collections/{name}/points/delete?wait=true", new { points = new[] { ids[0] } })).EnsureSuccessStatusCode();
        var (lost, wrong) = await CheckAcknowledged(client, name, ids);
        return lost == 1 && wrong == 0;
    }

    // Acknowledged ids missing after the restart, and those whose vector differs from the one written.
    private static async Task<(int Lost, int Wrong)> CheckAcknowledged(HttpClient client, string name, ulong[] ids)
    {
        int lost = 0, wrong = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            using var response = await client.PostAsJsonAsync($"/collections/{name}/points", new { ids = chunk, with_vector = true, with_payload = false });
            response.EnsureSuccessStatusCode();
            var found = (await response.Content.ReadFromJsonAsync<JsonObject>())!["result"]!.AsArray()
                .ToDictionary(p => p!["id"]!.GetValue<ulong>(), p => p!["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray());
            foreach (var id in chunk)
            {
                if (!found.TryGetValue(id, out var vector))
                {
                    lost++;
                }
                else if (!vector.AsSpan().SequenceEqual(VectorOf(id)))
                {
                    wrong++;
                }
            }
        }

        return (lost, wrong);
    }

    // Every stored point (acknowledged or not) must be the top hit of an exact search for its own vector.
    private static async Task<(long Stored, int Unfound, int Wrong)> CheckExactSearch(HttpClient client, string name)
    {
        var points = new List<(ulong Id, float[] Vector)>();
        JsonNode? offset = null;
        do
        {
            using var response = await client.PostAsJsonAsync($"/collections/{name}/points/scroll", new { limit = 1000, offset, with_vector = true, with_payload = false });
            response.EnsureSuccessStatusCode();
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!["result"]!;
            points.AddRange(page["points"]!.AsArray().Select(p => (p!["id"]!.GetValue<ulong>(), p["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray())));
            offset = page["next_page_offset"]?.DeepClone();
        }
        while (offset is not null);

        var unfound = 0;
        var wrong = points.Count(p => !p.Vector.AsSpan().SequenceEqual(VectorOf(p.Id)));
        await Parallel.ForEachAsync(points, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (point, token) =>
        {
            using var response = await client.PostAsJsonAsync($"/collections/{name}/points/search", new { vector = point.Vector, limit = 1, @params = new { exact = true } }, token);
            response.EnsureSuccessStatusCode();
            var hits = (await response.Content.ReadFromJsonAsync<JsonObject>(token))!["result"]!.AsArray();
            if (hits.Count == 0 || hits[0]!["id"]!.GetValue<ulong>() != point.Id)
            {
                Interlocked.Increment(ref unfound);
            }
        });
        return (points.Count, unfound, wrong);
    }

    private static async Task<long> Count(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync($"/collections/{name}/points/count", new { exact = true });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["result"]!["count"]!.GetValue<long>();
    }
}
