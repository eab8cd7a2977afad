using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quiver.Core;

namespace Quiver.Server.Tests;

/// <summary>
/// Malformed bodies are 400s naming the place, in the route's API style, on every body route; input the server used
/// to take leniently (an empty model, a padded policy name, "+1" as a point id, infinite numbers, ambiguous filter
/// conditions, fields it would ignore) is refused by name.
/// </summary>
public sealed class StrictInputTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture();
        await _server.Ok(_server.Put("/collections/strict", new { vectors = new { size = 4, distance = "Cosine" } }));
        await _server.Ok(_server.Put("/collections/strict/points", """{"points": [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"n": 2}}]}"""));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int Status, JsonNode? Body)> Send(HttpMethod method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    // The error's field and message in either style: OpenAI's error.param, or Qdrant's "param: message" status.error.
    private static (string? Param, string Message) ErrorOf(string path, JsonNode body) =>
        path.StartsWith("/v1/", StringComparison.Ordinal)
            ? (body["error"]!["param"]?.GetValue<string>(), body["error"]!["message"]!.GetValue<string>())
            : (null, body["status"]!["error"]!.GetValue<string>());

    [Fact]
    public async Task Every_body_route_refuses_a_lone_surrogate_with_a_400_naming_the_field()
    {
        var endpoints = _server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var bodyRoutes = new List<(HttpMethod, string)>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();

            // A route that reads a body without declaring it would escape this test; none may. (A snapshot upload takes
            // a file, not JSON: SnapshotsApiTests and the hostile suite send it damaged files.)
            Assert.True(accepts is not null || !methods.Any(m => m is "POST" or "PUT" or "PATCH"), $"{endpoint.RoutePattern.RawText} takes a body but declares no Accepts");
            if (accepts?.ContentTypes.Contains("application/json") == true)
            {
                var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/').Replace("{name}", "strict", StringComparison.Ordinal);
                bodyRoutes.AddRange(methods.Select(m => (new HttpMethod(m), path)));
            }
        }

        Assert.True(bodyRoutes.Count >= 14, $"only {bodyRoutes.Count} body routes found");
        foreach (var (method, path) in bodyRoutes)
        {
            var (status, body) = await Send(method, path, Encoding.UTF8.GetBytes("""{"note": "a\ud800b"}"""));

            Assert.True(status == 400, $"{method} {path}: {status} {body?.ToJsonString()}");
            var (param, message) = ErrorOf(path, body!);
            Assert.Contains("UTF-16", message, StringComparison.Ordinal);
            if (param is null)
            {
                Assert.StartsWith("note: ", message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("note", param);
            }
        }

        // Nothing was written by any of them.
        var count = await _server.Ok(_server.Post("/collections/strict/points/count", new { }));
        Assert.Equal(1, count["result"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_malformed_body_is_logged_in_one_line_without_a_stack_trace()
    {
        var logs = new CapturedLogs();
        var home = Directory.CreateTempSubdirectory("quiver-strict-logs-").FullName;
        try
        {
            await using var app = QuiverServer.Build(new ServerOptions { Paths = new QuiverPaths(home) }, b =>
            {
                b.WebHost.UseTestServer();
                b.Logging.AddProvider(logs);
            });
            await app.StartAsync();
            using var content = new StringContent("""{"input": ["ok", "\ud800"]}""", Encoding.UTF8, "application/json");
            using var response = await app.GetTestClient().PostAsync("/v1/embeddings", content);
            Assert.Equal(400, (int)response.StatusCode);
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }

        var entry = Assert.Single(logs.Entries, e => e.Message.Contains("/v1/embeddings", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Null(entry.Exception);
        Assert.Contains("input[1]", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', entry.Message);
    }

    [Theory]
    [InlineData("""{"input": "a", "extra": {"deep": ["x", "\udc00"]}}""", "extra.deep[1]", "UTF-16")]
    [InlineData("""{"input": "a", "\ud800": 1}""", null, "key that is not valid UTF-16")]
    [InlineData("""{"input": "a", "dimensions": 1e999}""", "dimensions", "1e999")]
    [InlineData("""{"input": "a", "extra": [-1E400]}""", "extra[0]", "-1E400")]
    [InlineData("""{"input": "a"} trailing""", null, "line 1, byte 16")]
    [InlineData("{\"input\": \"a\",\n \"model\": bert}", null, "line 2, byte 11")]
    [InlineData("""{"input": "a", "input": "b"}""", null, "repeats a key")]
    public async Task Malformed_json_is_a_400_naming_the_place(string json, string? param, string fragment)
    {
        var (status, body) = await Send(HttpMethod.Post, "/v1/embeddings", Encoding.UTF8.GetBytes(json));

        Assert.Equal(400, status);
        Assert.Equal("invalid_json", body!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(param, body["error"]!["param"]?.GetValue<string>());
        Assert.Contains(fragment, body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_and_deep_nesting_are_400_naming_where()
    {
        byte[] invalid = [.. "{\"input\": \"ab"u8, 0xC3, 0x28, .. "\"}"u8];
        var (status, body) = await Send(HttpMethod.Post, "/v1/embeddings", invalid);
        Assert.Equal(400, status);
        Assert.Contains("UTF-8 at byte offset 13", body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var deep = "{\"input\": " + new string('[', 200) + new string(']', 200) + "}";
        (status, body) = await Send(HttpMethod.Post, "/collections/strict/points/search", Encoding.UTF8.GetBytes(deep));
        Assert.Equal(400, status);
        Assert.Contains("not valid JSON at line 1", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/collections/strict/points", """{"points": [{"id": 2, "vector": [0, 1, 0, 0], "payload": {"big": 1e999}}]}""", "points[0].payload.big")]
    [InlineData("/collections/strict/points/search", """{"vector": [1, 0, 0, 0], "score_threshold": 1e999}""", "score_threshold")]
    [InlineData("/collections/strict/points/search", """{"vector": [1, 0, 0, 0], "filter": {"must": [{"key": "n", "match": {"value": -1e999}}]}}""", "filter.must[0].match.value")]
    [InlineData("/collections/strict/points/search", """{"vector": [1, 0, 0, 0], "filter": {"must": [{"key": "n", "match": {"value": 2}, "range": {"gt": 5}}]}}""", "filter.must[0]")]
    [InlineData("/collections/strict/points/query", """{"query": [1, 0, 0, 0], "using": "dense"}""", "using")]
    [InlineData("/collections/strict/points/query", """{"query": [1, 0, 0, 0], "prefetch": [{"query": [1, 0, 0, 0]}]}""", "prefetch")]
    [InlineData("/collections/strict/context", """{"question": "whale", "mmr": -5}""", "mmr")]
    [InlineData("/collections/strict/context", """{"question": "whale", "mmr": 1.5}""", "mmr")]
    public async Task Lenient_qdrant_input_is_refused_naming_the_field(string path, string json, string param)
    {
        var method = path.EndsWith("/points", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
        var (status, body) = await _server.Send(method, path, json);

        Assert.True(status == 400, $"{status} {body?.ToJsonString()}");
        Assert.StartsWith(param + ": ", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await StoredPoint(2));
    }

    [Fact]
    public async Task Finite_numbers_and_a_fraction_mmr_are_still_accepted()
    {
        await _server.Ok(_server.Put("/collections/strict/points", """{"points": [{"id": 2, "vector": [0, 1, 0, 0], "payload": {"big": 1.7e308}}]}"""));
        Assert.Equal(1.7e308, (await StoredPoint(2))!["payload"]!["big"]!.GetValue<double>());
        await _server.Ok(_server.Post("/collections/strict/context", """{"question": "whale", "mmr": 1}"""));
        await _server.Ok(_server.Post("/collections/strict/points/query", """{"query": [1, 0, 0, 0], "using": null}"""));
    }

    private async Task<JsonNode?> StoredPoint(int id)
    {
        var (status, body) = await _server.Get($"/collections/strict/points/{id}");
        return status == 200 ? body!["result"] : null;
    }

    [Theory]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("%201")]
    [InlineData("1.0")]
    [InlineData("%7B00000000-0000-0000-0000-000000000001%7D%20")]
    public async Task A_point_id_in_the_path_must_be_canonical(string id)
    {
        var (status, body) = await _server.Get($"/collections/strict/points/{id}");

        Assert.True(status == 400, $"{id}: {status} {body?.ToJsonString()}");
        Assert.StartsWith("id: ", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(await StoredPoint(1));
    }

    [Fact]
    public async Task An_empty_model_is_refused_rather_than_read_as_the_default()
    {
        var (status, body) = await _server.Post("/v1/embeddings", new { input = "the whale", model = "" });
        Assert.Equal(400, status);
        Assert.Equal("model", body!["error"]!["param"]!.GetValue<string>());

        (status, body) = await _server.Put("/collections/empty-model", new { model = "" });
        Assert.Equal(400, status);
        Assert.StartsWith("model: ", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, (await _server.Get("/collections/empty-model")).Status);
    }

    [Theory]
    [InlineData("TRUNCATE ", 400)]
    [InlineData("Truncate", 400)]
    [InlineData(" chunk", 400)]
    [InlineData("1", 400)]
    [InlineData("truncate", 200)]
    [InlineData("chunk", 200)]
    public async Task Truncation_names_are_exact_lower_case(string truncation, int expected)
    {
        var (status, body) = await _server.Post("/v1/embeddings", new { input = "the whale", model = "bert", truncation });

        Assert.Equal(expected, status);
        if (expected == 400)
        {
            Assert.Equal("truncation", body!["error"]!["param"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Point_text_is_limited_like_an_embeddings_input()
    {
        var limit = _server.Options.Limits.MaxInputCharacters;
        var (status, body) = await _server.Put("/collections/strict/points", new { points = new[] { new { id = 3, vector = new[] { 0, 0, 1, 0 }, text = new string('a', limit + 1) } } });
        Assert.Equal(400, status);
        Assert.StartsWith("points[0].text: ", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"at most {limit}", body["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await StoredPoint(3));

        (status, body) = await _server.Post("/collections/strict/points/search", new { text = new string('a', limit + 1) });
        Assert.Equal(400, status);
        Assert.StartsWith("text: ", body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        await _server.Ok(_server.Put("/collections/strict/points", new { points = new[] { new { id = 3, vector = new[] { 0, 0, 1, 0 }, text = new string('a', limit) } } }));
        Assert.NotNull(await StoredPoint(3));
    }

    [Theory]
    [InlineData("GET", "/v1/nothing", 404)]
    [InlineData("GET", "/collections/strict/nothing/here", 404)]
    [InlineData("DELETE", "/v1/embeddings", 405)]
    [InlineData("PATCH", "/collections/strict/points/search", 405)]
    public async Task Errors_the_router_raises_have_a_json_body_in_the_route_style(string method, string path, int expected)
    {
        var (status, body) = await _server.Send(new HttpMethod(method), path);

        Assert.Equal(expected, status);
        var (_, message) = ErrorOf(path, body!);
        Assert.Contains(path, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_api_key_header_does_not_hide_a_bearer_key()
    {
        await using var guarded = new ServerFixture(o => o with { AdminKeys = ["admin-key-5d1e"] });
        foreach (var empty in new[] { "", " " })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/collections");
            request.Headers.TryAddWithoutValidation("api-key", empty);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "admin-key-5d1e");
            using var response = await guarded.Client.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);

            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/collections");
            wrong.Headers.TryAddWithoutValidation("api-key", empty);
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
            using var refused = await guarded.Client.SendAsync(wrong);
            Assert.Equal(401, (int)refused.StatusCode);
        }
    }

    [Theory]
    [InlineData("/collections/strict/points/search", "text/plain")]
    [InlineData("/collections/strict/points/search", "application/x-www-form-urlencoded")]
    [InlineData("/v1/embeddings", "application/xml")]
    public async Task A_body_that_is_not_JSON_by_its_content_type_is_a_415_JSON_error(string path, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("""{"vector": [1, 0, 0, 0], "input": "a"}""") };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(415, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var (_, message) = ErrorOf(path, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        Assert.Contains(contentType, message, StringComparison.Ordinal);
        Assert.Contains("application/json", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/collections/strict/points/scroll", """{"filter": {"must": [{"key": "a\u0000b", "match": {"value": 1}}]}}""")]
    [InlineData("/collections/strict/points/count", """{"filter": {"must_not": [{"key": "n\u0001", "range": {"gte": 1}}]}}""")]
    [InlineData("/collections/strict/points/payload", """{"payload": {"x": 1}, "filter": {"must": [{"key": "a\u0000", "match": {"value": 2}}]}}""")]
    [InlineData("/collections/strict/index", """{"field_name": "a\u0000b", "field_schema": "keyword"}""")]
    public async Task A_payload_key_with_a_control_character_is_a_400_naming_it(string path, string body)
    {
        var method = path.EndsWith("/index", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
        var (status, answer) = await Send(method, path, Encoding.UTF8.GetBytes(body));
        Assert.Equal(400, status);
        Assert.Contains("control characters", ErrorOf(path, answer!).Message, StringComparison.Ordinal);
        Assert.Equal(2, (await _server.Ok(_server.Post("/collections/strict/points", new { ids = new[] { 1 } })))["result"]![0]!["payload"]!["n"]!.GetValue<int>());
    }
}
