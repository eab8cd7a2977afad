using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// Sets up the run's collections over HTTP and fingerprints the protected ones: each one's point count and a SHA-256
/// of every point (id, vector, payload) in id order, so any change a hostile request makes shows.
/// </summary>
internal static class StoredState
{
    private static readonly string[] Texts =
    [
        "the whale swims in the sea", "a ship sails on the sea", "the frog jumps in the pond", "the cat sat on the mat",
        "a dog barks", "the whale of the sea", "a frog is on the ship", "the dog sat", "the cat jumps", "a ship of the sea",
        "the pond is a sea", "the mat of the cat",
    ];

    public static async Task SetUp(HttpClient client, HostileTarget target, CancellationToken cancel)
    {
        await Send(client, target, HttpMethod.Put, $"/collections/{target.Keep}", new JsonObject { ["vectors"] = new JsonObject { ["size"] = target.KeepSize, ["distance"] = "Cosine" } }, cancel);
        var points = new JsonArray();
        for (var i = 0; i < 24; i++)
        {
            var vector = new JsonArray();
            for (var d = 0; d < target.KeepSize; d++)
            {
                vector.Add(d == 0 ? 1 + i : ((i * (d + 3)) % 7) - 3.5);
            }

            points.Add(new JsonObject { ["id"] = i, ["vector"] = vector, ["payload"] = new JsonObject { ["n"] = i, ["tag"] = $"t{i % 3}", ["odd"] = i % 2 == 1 } });
        }

        await Send(client, target, HttpMethod.Put, $"/collections/{target.Keep}/points?wait=true", new JsonObject { ["points"] = points }, cancel);
        await Send(client, target, HttpMethod.Put, $"/collections/{target.Keep}/index", new JsonObject { ["field_name"] = "tag", ["field_schema"] = "keyword" }, cancel);

        await Send(client, target, HttpMethod.Put, $"/collections/{target.Notes}", new JsonObject { ["model"] = target.Model }, cancel);
        var notes = new JsonArray();
        for (var i = 0; i < Texts.Length; i++)
        {
            notes.Add(new JsonObject { ["id"] = i, ["text"] = Texts[i], ["payload"] = new JsonObject { ["n"] = i } });
        }

        await Send(client, target, HttpMethod.Put, $"/collections/{target.Notes}/points?wait=true", new JsonObject { ["points"] = notes }, cancel);
        var labels = new JsonArray([.. Texts.Select(t => (JsonNode)(t.Contains("sea", StringComparison.Ordinal) || t.Contains("ship", StringComparison.Ordinal) ? "sea" : "land"))]);
        await Send(client, target, HttpMethod.Put, $"/classifiers/{target.Classifier}", new JsonObject { ["input"] = new JsonArray([.. Texts.Select(t => (JsonNode)t)]), ["labels"] = labels, ["model"] = target.Model, ["replace"] = true }, cancel);
        await EnsureScratch(client, target, cancel);

        // Snapshots for the snapshot routes' valid requests: one of a protected collection to download, two of the
        // scratch collection to delete and to recover from, and a scratch snapshot's bytes to upload.
        string Snapshot(JsonNode answer) => answer["result"]!["name"]!.GetValue<string>();
        target.KeepSnapshot = Snapshot(await Send(client, target, HttpMethod.Post, $"/collections/{target.Keep}/snapshots", null, cancel));
        target.ScratchSnapshots =
        [
            Snapshot(await Send(client, target, HttpMethod.Post, $"/collections/{target.Scratch}/snapshots", null, cancel)),
            Snapshot(await Send(client, target, HttpMethod.Post, $"/collections/{target.Scratch}/snapshots", null, cancel)),
        ];
        using var download = await Request(client, target, HttpMethod.Get, $"/collections/{target.Scratch}/snapshots/{target.ScratchSnapshots[1]}", null, cancel);
        download.EnsureSuccessStatusCode();
        target.ScratchSnapshotFile = await download.Content.ReadAsByteArrayAsync(cancel);
    }

    /// <summary>Creates the scratch collection if a request deleted it, and puts back the points write requests name.</summary>
    public static async Task EnsureScratch(HttpClient client, HostileTarget target, CancellationToken cancel)
    {
        using var exists = await Request(client, target, HttpMethod.Get, $"/collections/{target.Scratch}/exists", null, cancel);
        var answer = JsonNode.Parse(await exists.Content.ReadAsStringAsync(cancel));
        if (answer?["result"]?["exists"]?.GetValue<bool>() != true)
        {
            await Send(client, target, HttpMethod.Put, $"/collections/{target.Scratch}", new JsonObject { ["vectors"] = new JsonObject { ["size"] = 4, ["distance"] = "Cosine" } }, cancel);
        }

        var points = new JsonArray();
        foreach (var id in new[] { 7, 8, 9 })
        {
            points.Add(new JsonObject { ["id"] = id, ["vector"] = new JsonArray(1, id, 0.5, -1), ["payload"] = new JsonObject { ["tag"] = "a", ["n"] = id } });
        }

        await Send(client, target, HttpMethod.Put, $"/collections/{target.Scratch}/points?wait=true", new JsonObject { ["points"] = points }, cancel);
    }

    /// <summary>Each protected collection's name, point count and checksum, in one line each.</summary>
    public static async Task<string> Fingerprint(HttpClient client, HostileTarget target, CancellationToken cancel)
    {
        var lines = new List<string>();
        foreach (var name in target.Protected)
        {
            var count = await Send(client, target, HttpMethod.Post, $"/collections/{name}/points/count", new JsonObject(), cancel);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            JsonNode? offset = null;
            var seen = 0;
            do
            {
                var page = (await Send(client, target, HttpMethod.Post, $"/collections/{name}/points/scroll", new JsonObject { ["limit"] = 100, ["offset"] = offset, ["with_vector"] = true, ["with_payload"] = true }, cancel))["result"]!;
                foreach (var point in page["points"]!.AsArray())
                {
                    hash.AppendData(Encoding.UTF8.GetBytes(point!.ToJsonString() + "\n"));
                    seen++;
                }

                offset = page["next_page_offset"]?.DeepClone();
            }
            while (offset is not null);

            lines.Add($"{name}: {count["result"]!["count"]} points (scrolled {seen}), sha256 {Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}");
        }

        return string.Join('\n', lines);
    }

    private static async Task<JsonNode> Send(HttpClient client, HostileTarget target, HttpMethod method, string path, JsonNode? body, CancellationToken cancel)
    {
        using var response = await Request(client, target, method, path, body, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"setting up the hostile run: {method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!;
    }

    private static async Task<HttpResponseMessage> Request(HttpClient client, HostileTarget target, HttpMethod method, string path, JsonNode? body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("api-key", target.AdminKey);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return await client.SendAsync(request, cancel);
    }
}
