using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Quiver.Server.Tests;

/// <summary>
/// Hundreds of malformed, oversized and hostile requests: each gets a 4xx JSON error in its API's style, the
/// server stays up, and the stored data is exactly as before.
/// </summary>
public sealed class AbuseTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture(o => o with { Limits = o.Limits with { MaxBodyBytes = 1 << 20, MaxInputsPerRequest = 64, MaxPointsPerRequest = 100 } }, loopback: true);
        await _server.Ok(_server.Put("/collections/keep", new { vectors = new { size = 3, distance = "Cosine" } }));
        await _server.Ok(_server.Put("/collections/keep/points", new
        {
            points = Enumerable.Range(0, 12).Select(i => new { id = i, vector = new[] { 1f, i, -i }, payload = new { n = i, tag = $"t{i % 3}" } }),
        }));
        await _server.Ok(_server.Put("/collections/keep/index", new { field_name = "tag", field_schema = "keyword" }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static IEnumerable<byte[]> BadBodies()
    {
        string[] texts =
        [
            "", " ", "{", "}", "[", "{\"input\": ", "{'input': 'x'}", "{\"input\": \"x\",}", "{\"input\": \"x\"} trailing", "{\"input\": NaN}",
            "{\"input\": Infinity}", "{\"input\": \"x\" /* c */}", "null", "true", "42", "\"just a string\"", "[1, 2, 3]", "{\"input\": \"\\ud800\"", "{\"a\":1,\"a\":2",
            "{\"input\": \"x\", \"model\": {\"$ne\": null}}", new string('[', 200) + new string(']', 200), "{\"x\":" + string.Concat(Enumerable.Repeat("{\"x\":", 100)) + "1" + new string('}', 101),
        ];
        foreach (var text in texts)
        {
            yield return Encoding.UTF8.GetBytes(text);
        }

        yield return [0x7B, 0x22, 0x69, 0x6E, 0x70, 0x75, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]; // {"input":"\xC3(" }
        yield return [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D];
        yield return [0xEF, 0xBB, 0xBF, 0x00, 0x00];
        yield return Encoding.UTF8.GetBytes("{\"input\": \"" + new string('x', 2 << 20) + "\"}");
    }

    private static IEnumerable<string> BadEmbeddingRequests()
    {
        string[] inputs =
        [
            "5", "null", "true", "{}", "[]", "[null]", "[\"a\", null]", "[\"a\", 1]", "[1, \"a\"]", "[[1], [\"a\"]]", "[[1.5]]", "[[-1]]", "[-1]",
            "[1e30]", "[[]]", "[{}]", "[[1, 2], 3]", "[" + string.Join(',', Enumerable.Repeat("\"w\"", 65)) + "]",
            "[" + string.Join(',', Enumerable.Repeat("1", 9000)) + "]", "\"" + new string('a', 200_001) + "\"",
        ];
        foreach (var input in inputs)
        {
            yield return $"{{\"input\": {input}, \"model\": \"bert\"}}";
        }

        string[] models = ["\"../../etc/passwd\"", "\"..\"", "\"bert/../words\"", "\"" + new string('m', 300) + "\"", "\"nope\"", "1", "[]", "{}", "\"\\u0000\"", "\"CON\"", "\".hidden\""];
        foreach (var model in models)
        {
            yield return $"{{\"input\": \"a\", \"model\": {model}}}";
        }

        string[] extras =
        [
            "\"encoding_format\": \"int8\"", "\"encoding_format\": 1", "\"dimensions\": -1", "\"dimensions\": 0", "\"dimensions\": 1e10", "\"dimensions\": \"8\"",
            "\"dimensions\": 1.5", "\"truncation\": \"sometimes\"", "\"truncation\": 1", "\"truncate\": \"yes\"", "\"truncation\": \"error\", \"input\": \"" + string.Join(' ', Enumerable.Repeat("the cat", 40)) + "\"",
        ];
        foreach (var extra in extras)
        {
            yield return $"{{\"input\": \"the cat\", \"model\": \"bert\", {extra}}}";
        }
    }

    private static IEnumerable<(HttpMethod Method, string Path, string Body)> BadCollectionRequests()
    {
        string[] names = ["..", "...", "a%2F..%2Fb", "%2e%2e", new string('n', 200), "sp ace", "semi;colon", "%C3%A9t%C3%A9", ".git", "a*b", "a%5Cb", "nul%01"];
        foreach (var name in names)
        {
            yield return (HttpMethod.Put, $"/collections/{name}", "{\"vectors\": {\"size\": 3, \"distance\": \"Cosine\"}}");
            yield return (HttpMethod.Post, $"/collections/{name}/points/search", "{\"vector\": [1, 2, 3]}");
            yield return (HttpMethod.Delete, $"/collections/{name}", string.Empty);
        }

        string[] creates =
        [
            "{\"vectors\": {\"size\": -3, \"distance\": \"Cosine\"}}", "{\"vectors\": {\"size\": 1e12, \"distance\": \"Cosine\"}}", "{\"vectors\": {\"size\": \"3\", \"distance\": \"Cosine\"}}",
            "{\"vectors\": {\"size\": 3, \"distance\": \"cosine!\"}}", "{\"vectors\": {\"size\": 3, \"distance\": 1}}", "{\"vectors\": [3]}", "{\"vectors\": null}",
            "{\"model\": \"../x\"}", "{\"model\": \"nope\"}", "{\"vectors\": {\"size\": 3, \"distance\": \"Cosine\"}, \"hnsw_config\": {\"m\": 0}}",
            "{\"vectors\": {\"size\": 3, \"distance\": \"Cosine\"}, \"hnsw_config\": {\"m\": 100000}}", "{\"vectors\": {\"size\": 3, \"distance\": \"Cosine\"}, \"hnsw_config\": []}",
        ];
        foreach (var create in creates)
        {
            yield return (HttpMethod.Put, "/collections/fresh", create);
        }

        yield return (HttpMethod.Put, "/collections/keep", "{\"vectors\": {\"size\": 3, \"distance\": \"Cosine\"}}");

        string[] upserts =
        [
            "{}", "{\"points\": null}", "{\"points\": {}}", "{\"points\": []}", "{\"points\": [null]}", "{\"points\": [1]}", "{\"points\": [{\"id\": 1}]}",
            "{\"points\": [{\"vector\": [1, 2, 3]}]}", "{\"points\": [{\"id\": 1.5, \"vector\": [1, 2, 3]}]}", "{\"points\": [{\"id\": -7, \"vector\": [1, 2, 3]}]}",
            "{\"points\": [{\"id\": \"../../x\", \"vector\": [1, 2, 3]}]}", "{\"points\": [{\"id\": true, \"vector\": [1, 2, 3]}]}", "{\"points\": [{\"id\": 99999999999999999999999, \"vector\": [1, 2, 3]}]}",
            "{\"points\": [{\"id\": 1, \"vector\": [1, 2]}]}", "{\"points\": [{\"id\": 1, \"vector\": [1, 2, 3, 4]}]}", "{\"points\": [{\"id\": 1, \"vector\": []}]}",
            "{\"points\": [{\"id\": 1, \"vector\": [\"NaN\", 2, 3]}]}", "{\"points\": [{\"id\": 1, \"vector\": [1e39, 2, 3]}]}", "{\"points\": [{\"id\": 1, \"vector\": [-1e999, 2, 3]}]}",
            "{\"points\": [{\"id\": 1, \"vector\": [0, 0, 0]}]}", "{\"points\": [{\"id\": 1, \"vector\": [null, 2, 3]}]}", "{\"points\": [{\"id\": 1, \"vector\": [[1], 2, 3]}]}",
            "{\"points\": [{\"id\": 1, \"vector\": {\"dense\": [1, 2, 3]}}]}", "{\"points\": [{\"id\": 1, \"vector\": \"1,2,3\"}]}", "{\"points\": [{\"id\": 1, \"vector\": [1, 2, 3], \"payload\": \"x\"}]}",
            "{\"points\": [{\"id\": 1, \"vector\": [1, 2, 3], \"payload\": [1]}]}", "{\"points\": [{\"id\": 1, \"vector\": [1, 2, 3]}, {\"id\": 1, \"vector\": [3, 2, 1]}]}",
            "{\"points\": [{\"id\": 100, \"vector\": [1, 2, 3]}, {\"id\": 101, \"vector\": [1, 2]}]}", "{\"points\": [{\"id\": 1, \"text\": \"raw collections have no model\"}]}",
            "{\"points\": [" + string.Join(',', Enumerable.Range(0, 101).Select(i => $"{{\"id\": {i + 500}, \"vector\": [1, 2, 3]}}")) + "]}",
            "{\"batch\": {\"ids\": [1, 2], \"vectors\": [[1, 2, 3]]}}", "{\"batch\": {\"ids\": [1], \"vectors\": [[1, 2, 3]], \"payloads\": [1]}}", "{\"batch\": {\"vectors\": [[1, 2, 3]]}}",
            "{\"batch\": {\"ids\": [1], \"vectors\": [[1, 2, 3]], \"texts\": [\"x\"]}}", "{\"batch\": []}",
        ];
        foreach (var upsert in upserts)
        {
            yield return (HttpMethod.Put, "/collections/keep/points", upsert);
        }

        string[] filters =
        [
            "1", "[]", "{\"must\": 1}", "{\"must\": [1]}", "{\"must\": [{}]}", "{\"must\": [{\"key\": 1, \"match\": {\"value\": 1}}]}", "{\"must\": [{\"key\": \"n\"}]}",
            "{\"must\": [{\"key\": \"n\", \"match\": {}}]}", "{\"must\": [{\"key\": \"n\", \"match\": {\"value\": {}}}]}", "{\"must\": [{\"key\": \"n\", \"match\": {\"any\": 1}}]}",
            "{\"must\": [{\"key\": \"n\", \"match\": {\"text\": \"x\"}}]}", "{\"must\": [{\"key\": \"n\", \"range\": {\"gt\": \"1\"}}]}", "{\"must\": [{\"key\": \"n\", \"range\": {\"near\": 1}}]}",
            "{\"must\": [{\"has_id\": [1]}]}", "{\"must\": [{\"nested\": {}}]}", "{\"must\": [{\"is_empty\": 1}]}", "{\"min_should\": {}}", "{\"whatever\": []}",
            "{\"must\": [{\"key\": \"\", \"match\": {\"value\": 1}}]}", "{\"must\": [{\"geo_radius\": {}}]}",
            string.Concat(Enumerable.Repeat("{\"must\": [", 40)) + "{\"key\": \"n\", \"match\": {\"value\": 1}}" + string.Concat(Enumerable.Repeat("]}", 40)),
        ];
        foreach (var filter in filters)
        {
            yield return (HttpMethod.Post, "/collections/keep/points/search", $"{{\"vector\": [1, 2, 3], \"filter\": {filter}}}");
            yield return (HttpMethod.Post, "/collections/keep/points/delete", $"{{\"filter\": {filter}}}");
        }

        string[] searches =
        [
            "{}", "{\"vector\": null}", "{\"vector\": [1, 2]}", "{\"vector\": [0, 0, 0]}", "{\"vector\": [1, 2, \"3\"]}", "{\"vector\": [1, 2, 3], \"limit\": 0}", "{\"vector\": [1, 2, 3], \"limit\": -5}",
            "{\"vector\": [1, 2, 3], \"limit\": 1e9}", "{\"vector\": [1, 2, 3], \"limit\": \"10\"}", "{\"vector\": [1, 2, 3], \"offset\": -1}", "{\"vector\": [1, 2, 3], \"score_threshold\": \"high\"}",
            "{\"vector\": [1, 2, 3], \"with_payload\": 5}", "{\"vector\": [1, 2, 3], \"with_payload\": [1]}", "{\"vector\": [1, 2, 3], \"with_vector\": [\"dense\"]}",
            "{\"vector\": [1, 2, 3], \"params\": {\"hnsw_ef\": 0}}", "{\"vector\": [1, 2, 3], \"params\": 7}", "{\"text\": \"raw collection has no model\"}",
        ];
        foreach (var search in searches)
        {
            yield return (HttpMethod.Post, "/collections/keep/points/search", search);
        }

        string[] queries = ["{\"query\": 7777}", "{\"query\": \"not a uuid and no model\"}", "{\"query\": {\"nearest\": [1]}}", "{\"query\": true}", "{\"query\": [[1, 2, 3]]}", "{\"query\": {\"recommend\": {}}}"];
        foreach (var query in queries)
        {
            yield return (HttpMethod.Post, "/collections/keep/points/query", query);
        }

        string[] scrolls = ["{\"limit\": 0}", "{\"limit\": 101}", "{\"offset\": \"../x\"}", "{\"offset\": -1}", "{\"order_by\": \"n\"}", "{\"filter\": 3}"];
        foreach (var scroll in scrolls)
        {
            yield return (HttpMethod.Post, "/collections/keep/points/scroll", scroll);
        }

        string[] payloads =
        [
            "{}", "{\"payload\": 1, \"points\": [1]}", "{\"payload\": {\"a\": 1}}", "{\"payload\": {\"a\": 1}, \"points\": [1], \"filter\": {}}", "{\"payload\": {\"a\": 1}, \"points\": [\"x\"]}",
            "{\"payload\": {\"a\": 1}, \"points\": 1}", "{\"payload\": {\"a\": 1}, \"points\": [1], \"key\": \"nested.path\"}",
        ];
        foreach (var payload in payloads)
        {
            yield return (HttpMethod.Post, "/collections/keep/points/payload", payload);
            yield return (HttpMethod.Put, "/collections/keep/points/payload", payload);
        }

        yield return (HttpMethod.Post, "/collections/keep/points/payload/delete", "{\"keys\": \"n\", \"points\": [1]}");
        yield return (HttpMethod.Post, "/collections/keep/points/payload/delete", "{\"keys\": [1], \"points\": [1]}");
        yield return (HttpMethod.Post, "/collections/keep/points/payload/clear", "{}");
        yield return (HttpMethod.Put, "/collections/keep/index", "{\"field_name\": \"g\", \"field_schema\": \"geo\"}");
        yield return (HttpMethod.Put, "/collections/keep/index", "{\"field_schema\": \"keyword\"}");
        yield return (HttpMethod.Put, "/collections/keep/index", "{\"field_name\": \"g\"}");
        yield return (HttpMethod.Post, "/collections/keep/points", "{\"ids\": \"1\"}");
        yield return (HttpMethod.Post, "/collections/keep/points", "{\"ids\": [" + string.Join(',', Enumerable.Range(0, 101)) + "]}");
        yield return (HttpMethod.Get, "/collections/keep/points/not-an-id", string.Empty);
        yield return (HttpMethod.Get, "/collections/keep/points/-1", string.Empty);
        yield return (HttpMethod.Get, "/nowhere", string.Empty);
        yield return (HttpMethod.Patch, "/collections/keep", "{}");
        yield return (HttpMethod.Get, "/collections/keep/points/%2e%2e%2f%2e%2e%2fetc", string.Empty);
    }

    private async Task<string> Snapshot()
    {
        var points = await _server.Ok(_server.Post("/collections/keep/points/scroll", new { limit = 100, with_vector = true, with_payload = true }));
        var collections = await _server.Ok(_server.Get("/collections"));
        var info = await _server.Ok(_server.Get("/collections/keep"));
        return points["result"]!.ToJsonString() + collections["result"]!.ToJsonString() + info["result"]!["payload_schema"]!.ToJsonString()
            + string.Join(',', Directory.GetDirectories(_server.Paths.Collections).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Every_hostile_request_is_a_4xx_JSON_error_and_nothing_changes()
    {
        var before = await Snapshot();
        var requests = new List<(HttpMethod Method, string Path, byte[] Body)>();
        foreach (var body in BadBodies())
        {
            foreach (var (method, path) in new[] { (HttpMethod.Post, "/v1/embeddings"), (HttpMethod.Put, "/collections/keep/points"), (HttpMethod.Put, "/collections/fresh"), (HttpMethod.Post, "/collections/keep/points/search"), (HttpMethod.Post, "/collections/keep/points/delete") })
            {
                if (body.Length > 0 || method != HttpMethod.Post || path != "/collections/keep/points/scroll")
                {
                    requests.Add((method, path, body));
                }
            }
        }

        requests.AddRange(BadEmbeddingRequests().Select(b => (HttpMethod.Post, "/v1/embeddings", Encoding.UTF8.GetBytes(b))));
        requests.AddRange(BadCollectionRequests().Select(r => (r.Method, r.Path, Encoding.UTF8.GetBytes(r.Body))));
        Assert.True(requests.Count >= 300, $"only {requests.Count} requests");

        var failures = new List<string>();
        foreach (var (method, path, body) in requests)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body.Length > 0 || method != HttpMethod.Get)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = await _server.Client.SendAsync(request);
            }
            catch (HttpRequestException) when (body.Length > _server.Options.Limits.MaxBodyBytes)
            {
                // The server answers 413 as soon as it sees the length and closes the connection before the client
                // has sent the rest (LimitsTests checks that answer's body).
                continue;
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{method} {path} {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 120)])} -> no answer ({e.Message})");
                continue;
            }

            using var _ = response;
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var shown = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 120)]);
            if (status is < 400 or >= 500)
            {
                failures.Add($"{method} {path} {shown} -> {status} {text[..Math.Min(200, text.Length)]}");
                continue;
            }

            JsonNode? json = null;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
            }

            var message = path.StartsWith("/v1", StringComparison.Ordinal) ? json?["error"]?["message"] : json?["status"]?["error"];
            if (message is null || message.GetValue<string>().Length < 10)
            {
                failures.Add($"{method} {path} {shown} -> {status} without a JSON error: {text[..Math.Min(200, text.Length)]}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests.Count} requests:\n" + string.Join('\n', failures.Take(30)));
        Assert.Equal("healthz check passed", await _server.Client.GetStringAsync("/healthz"));
        Assert.Equal(before, await Snapshot());
    }
}
