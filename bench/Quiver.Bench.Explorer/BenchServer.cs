using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Server;
using Quiver.Store.Collections;
using Quiver.Store.Index;

namespace Quiver.Bench.Explorer;

/// <summary>
/// An in-process <c>quiver serve</c> on a loopback port over a temporary home holding one collection "bench" of N
/// 32-d points in 12 Gaussian blobs (payload: the blob and a number), stored with a flat index (the map needs no graph),
/// and a points-per-request limit of N so the page maps every point.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _root;
    private readonly HttpClient _client;

    private BenchServer(WebApplication app, string root, double storeSeconds)
    {
        _app = app;
        _root = root;
        StoreSeconds = storeSeconds;
        _client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(15) };
    }

    public string Url => _app.Urls.First();

    public double StoreSeconds { get; }

    public static async Task<BenchServer> Start(int count)
    {
        var root = Directory.CreateTempSubdirectory("quiver-explorer-bench-").FullName;
        var paths = new QuiverPaths(Path.Combine(root, "home"));
        var watch = Stopwatch.StartNew();
        using (var collection = CollectionStore.FromPaths(paths).Create("bench", new CollectionOptions(EmbeddingSpace.Raw(32, DistanceMetric.Cosine), IndexOptions.Default with { Kind = IndexKind.Flat })))
        {
            var random = new Random(1);
            var centres = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 32).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()).ToArray();
            for (var start = 0; start < count; start += 5000)
            {
                var batch = Enumerable.Range(start, Math.Min(5000, count - start)).Select(i =>
                {
                    var blob = i % centres.Length;
                    var vector = centres[blob].Select(c => c + (float)(Gaussian(random) * 0.25)).ToArray();
                    return new Point((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), vector, new System.Text.Json.Nodes.JsonObject { ["blob"] = $"blob {blob}", ["n"] = i });
                }).ToList();
                collection.Upsert(batch);
            }

            collection.Flush();
        }

        var storeSeconds = watch.Elapsed.TotalSeconds;
        var app = QuiverServer.Build(new ServerOptions
        {
            Paths = paths,
            Urls = "http://127.0.0.1:0",
            Limits = new ServerLimits { MaxPointsPerRequest = Math.Max(count, 10_000) },
        });
        await app.StartAsync();
        return new BenchServer(app, root, storeSeconds);
    }

    /// <summary>The projection route alone, as the page asks for it.</summary>
    public async Task Project(string method, int limit)
    {
        using var response = await _client.PostAsJsonAsync("/collections/bench/projection", new { method, limit, seed = 42, with_payload = true });
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
