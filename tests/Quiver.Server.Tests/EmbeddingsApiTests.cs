using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Catalogue;

namespace Quiver.Server.Tests;

/// <summary>POST /v1/embeddings and GET /v1/models, in OpenAI's schema, against the same model run in process.</summary>
public sealed class EmbeddingsApiTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        // No embedding cache here: these tests count model calls (the cache has its own test below).
        _server = new ServerFixture(o => o with { Limits = o.Limits with { BatchMaxInputs = 8, EmbeddingCacheEntries = 0 } });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<float[][]> InProcess(params string[] texts)
    {
        using var generator = InstalledModels.OpenTextGenerator(_server.Paths, "bert");
        var embeddings = await generator.GenerateAsync(texts);
        return [.. embeddings.Select(e => e.Vector.ToArray())];
    }

    private static float[] Vector(JsonNode item) => [.. item["embedding"]!.AsArray().Select(v => v!.GetValue<float>())];

    [Fact]
    public async Task A_string_input_gets_the_in_process_vector_and_usage()
    {
        var body = await _server.Ok(_server.Post("/v1/embeddings", new { input = "the whale swims", model = "bert" }));

        Assert.Equal("list", body["object"]!.GetValue<string>());
        Assert.Equal("bert", body["model"]!.GetValue<string>());
        var item = body["data"]![0]!;
        Assert.Equal("embedding", item["object"]!.GetValue<string>());
        Assert.Equal(0, item["index"]!.GetValue<int>());
        Assert.Equal((await InProcess("the whale swims"))[0], Vector(item));
        Assert.Equal(5, body["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(5, body["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_array_larger_than_a_batch_is_split_and_answered_in_order()
    {
        var texts = Enumerable.Range(0, 21).Select(i => string.Join(' ', ServerFixture.Words.Skip(i % 7).Take(1 + i % 5))).ToArray();

        var body = await _server.Ok(_server.Post("/v1/embeddings", new { input = texts, model = "bert" }));

        var expected = await InProcess(texts);
        var data = body["data"]!.AsArray();
        Assert.Equal(21, data.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(i, data[i]!["index"]!.GetValue<int>());
            var actual = Vector(data[i]!);
            for (var d = 0; d < actual.Length; d++)
            {
                Assert.Equal(expected[i][d], actual[d], 5);
            }
        }
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_vectors()
    {
        var texts = Enumerable.Range(0, 40).Select(i => $"the {ServerFixture.Words[i % 18]} {ServerFixture.Words[(i * 7) % 18]} sat").ToArray();
        var expected = await InProcess(texts);

        var answers = await Task.WhenAll(texts.Select(t => _server.Ok(_server.Post("/v1/embeddings", new { input = new[] { t }, model = "bert" }))));

        for (var i = 0; i < texts.Length; i++)
        {
            var actual = Vector(answers[i]["data"]![0]!);
            for (var d = 0; d < actual.Length; d++)
            {
                Assert.Equal(expected[i][d], actual[d], 5);
            }
        }

        // Every request went into exactly one model call.
        var metrics = await _server.Client.GetStringAsync("/metrics");
        Assert.Contains("quiver_embedding_batch_requests_sum 40", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Several_model_callers_share_the_queue_and_answer_each_request_once(int workers)
    {
        await using var server = new ServerFixture(o => o with { Workers = workers, Limits = o.Limits with { BatchMaxInputs = 8, EmbeddingCacheEntries = 0 } });
        var texts = Enumerable.Range(0, 60).Select(i => $"a {ServerFixture.Words[(i * 5) % 18]} and {ServerFixture.Words[(i * 11) % 18]}").ToArray();
        var expected = await InProcess(texts);

        // Single inputs and one array of 21 (split into jobs of 8) at once.
        var singles = texts.Select(t => server.Ok(server.Post("/v1/embeddings", new { input = new[] { t }, model = "bert" }))).ToList();
        var array = server.Ok(server.Post("/v1/embeddings", new { input = texts[..21], model = "bert" }));
        var answers = await Task.WhenAll(singles);
        var arrayAnswer = await array;

        for (var i = 0; i < texts.Length; i++)
        {
            var actual = Vector(answers[i]["data"]![0]!);
            for (var d = 0; d < actual.Length; d++)
            {
                Assert.Equal(expected[i][d], actual[d], 5);
            }
        }

        var data = arrayAnswer["data"]!.AsArray();
        Assert.Equal(21, data.Count);
        for (var i = 0; i < 21; i++)
        {
            Assert.Equal(i, data[i]!["index"]!.GetValue<int>());
            var actual = Vector(data[i]!);
            for (var d = 0; d < actual.Length; d++)
            {
                Assert.Equal(expected[i][d], actual[d], 5);
            }
        }

        // 60 single requests and the array's 3 jobs, each in exactly one model call.
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Contains("quiver_embedding_batch_requests_sum 63", metrics, StringComparison.Ordinal);
        Assert.Contains("quiver_embedding_inputs_total{model=\"bert\"} 81", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Texts_seen_before_are_answered_from_the_cache_with_the_same_vector_and_usage()
    {
        await using var server = new ServerFixture(o => o with { Limits = o.Limits with { EmbeddingCacheEntries = 100 } });
        async Task<(JsonNode Body, string? Cached)> Embed(object body)
        {
            using var response = await server.Client.PostAsync("/v1/embeddings", new StringContent(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var cached = response.Headers.TryGetValues("X-Quiver-Cached-Inputs", out var values) ? values.Single() : null;
            return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!, cached);
        }

        var (first, firstCached) = await Embed(new { input = new[] { "the whale swims", "a ship at sea" }, model = "bert" });
        var (again, againCached) = await Embed(new { input = new[] { "a ship at sea", "the whale swims", "the whale swims" }, model = "bert" });
        var (chunked, chunkedCached) = await Embed(new { input = "the whale swims", model = "bert", truncation = "chunk" });
        Assert.Null(firstCached);
        Assert.Equal("3", againCached);
        Assert.Null(chunkedCached);

        Assert.Equal(Vector(first["data"]![0]!), Vector(again["data"]![1]!));
        Assert.Equal(Vector(first["data"]![0]!), Vector(again["data"]![2]!));
        Assert.Equal(Vector(first["data"]![1]!), Vector(again["data"]![0]!));
        Assert.Equal(first["usage"]!["prompt_tokens"]!.GetValue<int>() + 5, again["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal((await InProcess("the whale swims"))[0], Vector(chunked["data"]![0]!));

        // 2 misses, 3 hits, then a miss for the other truncation policy; only the misses reached the model. (The
        // cache counters are process-wide, so servers of other tests running beside this one may add to them.)
        var metrics = await server.Client.GetStringAsync("/metrics");
        var hits = System.Text.RegularExpressions.Regex.Match(metrics, "^quiver_embedding_cache_hits_total\\{[^}]*\\} (\\d+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(hits.Success && int.Parse(hits.Groups[1].Value) >= 3, "the cache hits are not exported");
        Assert.Contains("quiver_embedding_inputs_total{model=\"bert\"} 3", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Base64_is_the_float_vector_as_little_endian_float32()
    {
        var floats = await _server.Ok(_server.Post("/v1/embeddings", new { input = "a cat sat", model = "bert" }));
        var base64 = await _server.Ok(_server.Post("/v1/embeddings", new { input = "a cat sat", model = "bert", encoding_format = "base64" }));

        var decoded = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64["data"]![0]!["embedding"]!.GetValue<string>())).ToArray();
        Assert.Equal(Vector(floats["data"]![0]!), decoded);
    }

    [Fact]
    public async Task Dimensions_keep_the_first_ones_renormalised()
    {
        var full = Vector((await _server.Ok(_server.Post("/v1/embeddings", new { input = "the frog jumps", model = "bert" })))["data"]![0]!);
        var short8 = Vector((await _server.Ok(_server.Post("/v1/embeddings", new { input = "the frog jumps", model = "bert", dimensions = 8 })))["data"]![0]!);

        Assert.Equal(8, short8.Length);
        Assert.Equal(1.0, Math.Sqrt(short8.Sum(x => (double)x * x)), 5);
        var norm = Math.Sqrt(full.Take(8).Sum(x => (double)x * x));
        for (var d = 0; d < 8; d++)
        {
            Assert.Equal(full[d] / norm, short8[d], 5);
        }
    }

    [Fact]
    public async Task Token_ids_embed_like_the_text_they_spell()
    {
        // [CLS]=2 ... the vocabulary: 5 + index in Words.
        var ids = new[] { 5 + Array.IndexOf(ServerFixture.Words, "the"), 5 + Array.IndexOf(ServerFixture.Words, "whale"), 5 + Array.IndexOf(ServerFixture.Words, "swims") };
        var byIds = await _server.Ok(_server.Post("/v1/embeddings", new { input = new[] { ids }, model = "bert" }));
        var flat = await _server.Ok(_server.Post("/v1/embeddings", new { input = ids, model = "bert" }));

        var expected = (await InProcess("the whale swims"))[0];
        Assert.Equal(expected, Vector(byIds["data"]![0]!));
        Assert.Equal(expected, Vector(flat["data"]![0]!));

        var (status, error) = await _server.Post("/v1/embeddings", new { input = new[] { 1, 99_999 }, model = "bert" });
        Assert.Equal(400, status);
        Assert.Contains("99999", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_long_inputs_are_truncated_and_reported_or_refused_or_chunked()
    {
        var longText = string.Join(' ', Enumerable.Repeat("the cat sat on the mat", 5));

        var truncated = await _server.Ok(_server.Post("/v1/embeddings", new { input = longText, model = "bert" }));
        Assert.True(truncated["data"]![0]!["truncated_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(16, truncated["usage"]!["prompt_tokens"]!.GetValue<int>());

        var (status, error) = await _server.Post("/v1/embeddings", new { input = longText, model = "bert", truncation = "error" });
        Assert.Equal(400, status);
        Assert.Equal("input_too_long", error!["error"]!["code"]!.GetValue<string>());

        (status, _) = await _server.Post("/v1/embeddings", new { input = longText, model = "bert", truncate = false });
        Assert.Equal(400, status);

        var chunked = await _server.Ok(_server.Post("/v1/embeddings", new { input = longText, model = "bert", truncation = "chunk" }));
        Assert.Null(chunked["data"]![0]!["truncated_tokens"]);
        Assert.NotEqual(Vector(truncated["data"]![0]!), Vector(chunked["data"]![0]!));
    }

    [Fact]
    public async Task Word_vector_models_serve_text_and_refuse_token_ids()
    {
        var body = await _server.Ok(_server.Post("/v1/embeddings", new { input = new[] { "whale ship", "frog pond" }, model = "words" }));
        Assert.Equal(8, body["data"]![0]!["embedding"]!.AsArray().Count);
        Assert.Equal(4, body["usage"]!["prompt_tokens"]!.GetValue<int>());

        var (status, error) = await _server.Post("/v1/embeddings", new { input = new[] { 1, 2 }, model = "words" });
        Assert.Equal(400, status);
        Assert.Contains("token-id", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_are_listed_and_unknown_ones_are_404_in_OpenAIs_shape()
    {
        var list = await _server.Ok(_server.Get("/v1/models"));
        Assert.Equal(["bert", "words"], list["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).Order());
        Assert.Equal("bert", (await _server.Ok(_server.Get("/v1/models/bert")))["id"]!.GetValue<string>());

        var (status, error) = await _server.Post("/v1/embeddings", new { input = "x", model = "gpt-9" });
        Assert.Equal(404, status);
        Assert.Equal("model_not_found", error!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("model", error["error"]!["param"]!.GetValue<string>());
        Assert.Equal(404, (await _server.Get("/v1/models/gpt-9")).Status);
    }

    [Fact]
    public async Task A_request_naming_no_model_uses_the_servers_default()
    {
        var body = await _server.Ok(_server.Post("/v1/embeddings", new { input = "the whale swims" }));
        Assert.Equal("bert", body["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"input\": 5, \"model\": \"bert\"}", "input")]
    [InlineData("{\"input\": [], \"model\": \"bert\"}", "input")]
    [InlineData("{\"input\": [\"a\", 3], \"model\": \"bert\"}", "input[1]")]
    [InlineData("{\"input\": [[1, \"x\"]], \"model\": \"bert\"}", "input[0][1]")]
    [InlineData("{\"input\": \"a\", \"model\": 3}", "model")]
    [InlineData("{\"input\": \"a\", \"model\": \"bert\", \"encoding_format\": \"int8\"}", "encoding_format")]
    [InlineData("{\"input\": \"a\", \"model\": \"bert\", \"dimensions\": 0}", "dimensions")]
    [InlineData("{\"input\": \"a\", \"model\": \"bert\", \"dimensions\": 33}", "dimensions")]
    [InlineData("{\"input\": \"a\", \"model\": \"bert\", \"truncation\": \"maybe\"}", "truncation")]
    [InlineData("{\"model\": \"bert\"}", "input")]
    public async Task Wrong_fields_are_400_naming_the_field(string json, string param)
    {
        var (status, error) = await _server.Post("/v1/embeddings", json);

        Assert.Equal(400, status);
        Assert.Equal(param, error!["error"]!["param"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
    }
}
