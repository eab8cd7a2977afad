using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Quiver.Server.Tests;

/// <summary>kill -9 during a stream of upserts through the API: every acknowledged upsert is there after a restart.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("quiver-crash-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }

    private static float[] VectorOf(int id) => [1f, id % 97, id / 97f, -(id % 13)];

    [Fact]
    public async Task Every_acknowledged_upsert_survives_kill_minus_9()
    {
        var acknowledged = new ConcurrentBag<int>();
        using (var server = await ServerProcess.Start(_home))
        {
            using var client = new HttpClient { BaseAddress = server.Url };
            (await client.PutAsJsonAsync("/collections/crash", new { vectors = new { size = 4, distance = "Euclid" } })).EnsureSuccessStatusCode();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var ids = Enumerable.Range(0, 5).Select(i => (w * 1_000_000) + (batch * 5) + i).ToArray();
                    try
                    {
                        using var response = await client.PutAsJsonAsync(
                            "/collections/crash/points?wait=true",
                            new { points = ids.Select(id => new { id, vector = VectorOf(id), payload = new { writer = w, batch } }) });
                        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
                        if (response.IsSuccessStatusCode && body?["result"]?["status"]?.GetValue<string>() == "completed")
                        {
                            foreach (var id in ids)
                            {
                                acknowledged.Add(id);
                            }
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
                    {
                        return; // the server is gone
                    }
                }
            })).ToList();

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 400 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count >= 400, $"only {acknowledged.Count} upserts were acknowledged before the deadline");

        using var restarted = await ServerProcess.Start(_home);
        using var reader = new HttpClient { BaseAddress = restarted.Url };
        var stored = new Dictionary<int, float[]>();
        JsonNode? offset = null;
        do
        {
            using var response = await reader.PostAsJsonAsync("/collections/crash/points/scroll", new { limit = 1000, offset, with_vector = true });
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!["result"]!;
            foreach (var point in page["points"]!.AsArray())
            {
                stored[point!["id"]!.GetValue<int>()] = [.. point["vector"]!.AsArray().Select(v => v!.GetValue<float>())];
            }

            offset = page["next_page_offset"]?.DeepClone();
        }
        while (offset is not null);

        var missing = acknowledged.Where(id => !stored.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged points are missing, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.All(acknowledged, id => Assert.Equal(VectorOf(id), stored[id]));

        // The index answers for the recovered points.
        var probe = acknowledged.First();
        using var search = await reader.PostAsJsonAsync("/collections/crash/points/search", new { vector = VectorOf(probe), limit = 1 });
        var hit = (await search.Content.ReadFromJsonAsync<JsonObject>())!["result"]![0]!;
        Assert.Equal(0, hit["score"]!.GetValue<float>(), 4);
    }
}
