using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace Quiver.Bench;

/// <summary>
/// Search over gRPC (Qdrant.Client, as a .NET application calls it) against search over REST (HttpClient and JSON, as
/// Qdrant's REST clients call it), on one `quiver serve` process, the same collection and the same queries, in one
/// run: latency one call at a time, then throughput with several calls in flight. The two alternate in rounds, so
/// the machine's noise falls on both. Both answers are checked to be the same points first.
/// Usage: Quiver.Bench grpc [--points 20000] [--dims 256] [--queries 1000] [--rounds 3] [--concurrency 16] [--seconds 10] [--quiver artifacts/bin/quiver.dll]
/// </summary>
internal static class GrpcVsRest
{
    public static void Run(Args options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task RunAsync(Args options)
    {
        var points = int.Parse(options.Get("points", "20000"), CultureInfo.InvariantCulture);
        var dims = int.Parse(options.Get("dims", "256"), CultureInfo.InvariantCulture);
        var queryCount = int.Parse(options.Get("queries", "1000"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(options.Get("rounds", "3"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(options.Get("concurrency", "16"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(options.Get("seconds", "10"), CultureInfo.InvariantCulture);
        var home = Directory.CreateTempSubdirectory("quiver-grpc-bench-").FullName;
        try
        {
            using var served = await ServedQuiver.Start(ServedQuiver.DllPath(options), home, new Dictionary<string, string>(), "--max-concurrent", "64");
            var grpcUrl = served.GrpcUrl ?? throw new InvalidOperationException("quiver serve named no gRPC address; is this build older than the gRPC API?");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = served.Url, Timeout = TimeSpan.FromMinutes(5) };
            using var grpc = new QdrantClient(grpcUrl.Host, grpcUrl.Port, https: false);

            var random = new Random(17);
            float[] Vector() => [.. Enumerable.Range(0, dims).Select(_ => (float)((random.NextDouble() * 2) - 1))];
            Console.Error.WriteLine($"› {points} random {dims}-d points into a Cosine collection over REST");
            await Check(await http.PutAsync("/collections/bench", Json(new JsonObject { ["vectors"] = new JsonObject { ["size"] = dims, ["distance"] = "Cosine" } })));
            for (var start = 0; start < points; start += 1000)
            {
                var batch = new JsonArray();
                for (var id = start; id < Math.Min(points, start + 1000); id++)
                {
                    batch.Add(new JsonObject { ["id"] = id + 1, ["vector"] = new JsonArray([.. Vector().Select(x => (JsonNode)x)]), ["payload"] = new JsonObject { ["n"] = id } });
                }

                await Check(await http.PutAsync("/collections/bench/points?wait=true", Json(new JsonObject { ["points"] = batch })));
            }

            var queries = Enumerable.Range(0, queryCount).Select(_ => Vector()).ToArray();
            var bodies = queries.Select(q => Encoding.UTF8.GetBytes(new JsonObject
            {
                ["vector"] = new JsonArray([.. q.Select(x => (JsonNode)x)]),
                ["limit"] = 10,
                ["with_payload"] = true,
            }.ToJsonString())).ToArray();

            async Task<ulong[]> Rest(int i)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/collections/bench/points/search", content);
                await using var stream = await response.Content.ReadAsStreamAsync();
                using var answer = await JsonDocument.ParseAsync(stream);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"REST search failed: {(int)response.StatusCode} {answer.RootElement}");
                }

                return [.. answer.RootElement.GetProperty("result").EnumerateArray().Select(h => h.GetProperty("id").GetUInt64())];
            }

            async Task<ulong[]> Grpc(int i)
            {
#pragma warning disable CS0618 // Qdrant.Client's SearchAsync is deprecated for QueryAsync; it is the call existing applications make, and REST's counterpart is /points/search.
                var hits = await grpc.SearchAsync("bench", queries[i], limit: 10, payloadSelector: true);
#pragma warning restore CS0618
                return [.. hits.Select(h => h.Id.Num)];
            }

            // The same points for the same queries, or the comparison would be of two different searches.
            for (var i = 0; i < Math.Min(50, queryCount); i++)
            {
                var (r, g) = (await Rest(i), await Grpc(i));
                if (!r.SequenceEqual(g))
                {
                    throw new InvalidOperationException($"query {i}: REST found [{string.Join(',', r)}], gRPC [{string.Join(',', g)}]");
                }
            }

            // Warm both paths (JIT, connections) before anything is timed.
            for (var i = 0; i < Math.Min(200, queryCount); i++)
            {
                await Rest(i);
                await Grpc(i);
            }

            var latency = new Dictionary<string, List<double>> { ["rest"] = [], ["grpc"] = [] };
            var throughput = new Dictionary<string, List<double>> { ["rest"] = [], ["grpc"] = [] };
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which goes first, so neither always follows the other's garbage.
                foreach (var api in round % 2 == 0 ? new[] { "rest", "grpc" } : ["grpc", "rest"])
                {
                    Func<int, Task<ulong[]>> call = api == "rest" ? Rest : Grpc;
                    for (var i = 0; i < queryCount; i++)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await call(i);
                        latency[api].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }

                    var done = 0L;
                    var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
                    var clock = Stopwatch.StartNew();
                    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
                    {
                        for (var i = worker; Stopwatch.GetTimestamp() < until; i = (i + concurrency) % queryCount)
                        {
                            await call(i);
                            Interlocked.Increment(ref done);
                        }
                    }));
                    throughput[api].Add(done / clock.Elapsed.TotalSeconds);
                    Console.Error.WriteLine($"  round {round + 1} {api}: p50 {Percentile(latency[api].TakeLast(queryCount).ToList(), 50):F3} ms, {throughput[api][^1]:F0} searches/s at {concurrency} in flight");
                }
            }

            var report = new JsonObject
            {
                ["points"] = points,
                ["dims"] = dims,
                ["queries"] = queryCount,
                ["rounds"] = rounds,
                ["concurrency"] = concurrency,
                ["seconds_per_throughput_run"] = seconds,
                ["cores"] = Environment.ProcessorCount,
            };
            foreach (var api in new[] { "rest", "grpc" })
            {
                report[api] = new JsonObject
                {
                    ["p50_ms"] = Math.Round(Percentile(latency[api], 50), 3),
                    ["p90_ms"] = Math.Round(Percentile(latency[api], 90), 3),
                    ["p99_ms"] = Math.Round(Percentile(latency[api], 99), 3),
                    ["searches_per_s"] = Math.Round(throughput[api].Average(), 0),
                };
            }

            report["grpc_over_rest"] = new JsonObject
            {
                ["p50_latency"] = Math.Round(Percentile(latency["grpc"], 50) / Percentile(latency["rest"], 50), 3),
                ["p99_latency"] = Math.Round(Percentile(latency["grpc"], 99) / Percentile(latency["rest"], 99), 3),
                ["throughput"] = Math.Round(throughput["grpc"].Average() / throughput["rest"].Average(), 3),
            };
            Console.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        finally
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // A file the killed server still held; the temp folder is cleaned by the OS.
            }
        }
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task Check(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        response.Dispose();
    }

    private static double Percentile(List<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
