using System.Globalization;
using NJsonSchema;
using NSwag;

namespace Quiver.Server.Tests;

/// <summary>
/// The document says what the server really takes and answers: requests in the forms Qdrant's and OpenAI's clients
/// send are valid against the documented request schemas, and every answer, success or error, is valid against the
/// schema documented for its route and status (NJsonSchema's validator over /openapi/v1.json).
/// </summary>
public sealed class OpenApiConformanceTests : IAsyncLifetime
{
    private const string Uuid = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26";
    private ServerFixture _server = null!;
    private OpenApiDocument _document = null!;
    private readonly List<string> _problems = [];

    public async Task InitializeAsync()
    {
        _server = new ServerFixture();
        _document = await OpenApiDocument.FromJsonAsync(await _server.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Requests_and_answers_of_every_operation_match_the_document()
    {
        await Check("GET", "/", "/");
        await Check("GET", "/v1/models", "/v1/models");
        await Check("GET", "/v1/models/bert", "/v1/models/{model}");
        await Check("POST", "/v1/embeddings", "/v1/embeddings", """{"input": "the whale swims"}""");
        await Check("POST", "/v1/embeddings", "/v1/embeddings", """{"model": "bert", "input": [[5, 6, 7], [8]], "encoding_format": "base64", "dimensions": 4, "truncation": "truncate"}""");
        await Check("POST", "/v1/embeddings", "/v1/embeddings", """{"model": "words", "input": ["the cat", "a dog"], "encoding_format": "float", "truncate": true}""");

        await Check("PUT", "/collections/raw", "/collections/{name}", """{"vectors": {"size": 4, "distance": "Dot"}, "hnsw_config": {"m": 8, "ef_construct": 64}}""");
        await Check("PUT", "/collections/text", "/collections/{name}", """{"model": "bert"}""");
        await Check("GET", "/collections", "/collections");
        await Check("GET", "/collections/raw/exists", "/collections/{name}/exists");
        await Check("PUT", "/collections/raw/index", "/collections/{name}/index", """{"field_name": "colour", "field_schema": "keyword"}""");
        await Check("PUT", "/collections/raw/index", "/collections/{name}/index", """{"field_name": "n", "field_schema": {"type": "integer"}}""");
        await Check("GET", "/collections/raw", "/collections/{name}");

        const string points = "/collections/{name}/points";
        await Check("PUT", "/collections/raw/points", points, $$$"""{"points": [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"colour": "red", "n": 1}}, {"id": "{{{Uuid}}}", "vector": [0, 1, 0, 0], "payload": {"colour": "blue", "n": 2, "tags": ["a"]}}]}""");
        await Check("PUT", "/collections/raw/points", points, """{"batch": {"ids": [3, 4], "vectors": [[0, 0, 1, 0], [0.5, 0.5, 0, 0]], "payloads": [{"colour": "red", "n": 3}, null]}}""");
        await Check("PUT", "/collections/text/points", points, """{"points": [{"id": 1, "text": "the whale swims in the sea"}, {"id": 2, "vector": {"text": "a cat sat on the mat", "model": "bert"}, "payload": {"path": "cats.txt"}}]}""");
        await Check("POST", "/collections/raw/points", points, $$$"""{"ids": [1, "{{{Uuid}}}"], "with_payload": ["colour"], "with_vector": true}""");
        await Check("GET", "/collections/raw/points/1", points + "/{id}");
        await Check("GET", $"/collections/raw/points/{Uuid}", points + "/{id}");
        await Check("POST", "/collections/raw/points/scroll", points + "/scroll", """{"limit": 2, "with_payload": {"exclude": ["n"]}, "with_vectors": true}""");
        await Check("POST", "/collections/raw/points/scroll", points + "/scroll", """{"offset": "UUID", "filter": {"must_not": {"is_null": {"key": "colour"}}}}""".Replace("UUID", Uuid, StringComparison.Ordinal));
        await Check("POST", "/collections/raw/points/count", points + "/count", """{"filter": {"must": [{"key": "colour", "match": {"any": ["red", "blue"]}}]}, "exact": true}""");
        await Check("POST", "/collections/raw/points/search", points + "/search", """{"vector": [1, 0, 0, 0], "limit": 3, "offset": 0, "with_payload": true, "with_vector": true, "score_threshold": -1, "params": {"hnsw_ef": 16}, "filter": {"should": [{"key": "n", "range": {"gte": 1, "lt": 10}}, {"is_empty": {"key": "tags"}}], "must_not": [{"key": "colour", "match": {"except": ["red", "blue"]}}]}}""");
        await Check("POST", "/collections/raw/points/query", points + "/query", """{"query": {"nearest": [1, 0, 0, 0]}, "limit": 2, "params": {"exact": true}}""");
        await Check("POST", "/collections/raw/points/query", points + "/query", """{"query": 1, "with_payload": {"include": ["colour"]}}""");
        await Check("POST", "/collections/raw/points/query", points + "/query", """{}""");
        await Check("POST", "/collections/text/points/query", points + "/query", """{"query": {"text": "whale"}, "with_payload": true}""");
        await Check("POST", "/collections/text/points/query", points + "/query", """{"query": "whale"}""");
        await Check("POST", "/collections/text/points/search", points + "/search", """{"text": "whale", "with_payload": true}""");
        await Check("POST", "/collections/text/context", "/collections/{name}/context", """{"question": "where does the whale swim?", "budget_tokens": 50, "candidates": 5, "mode": "hybrid", "mmr": 0.5}""");
        await Check("POST", "/collections/raw/points/payload", points + "/payload", """{"payload": {"k": 1}, "points": [1]}""");
        await Check("PUT", "/collections/raw/points/payload", points + "/payload", """{"payload": {"colour": "red"}, "filter": {"must": [{"key": "n", "match": {"value": 3}}]}}""");
        await Check("POST", "/collections/raw/points/payload/delete", points + "/payload/delete", """{"keys": ["k"], "points": [1]}""");
        await Check("POST", "/collections/raw/points/payload/clear", points + "/payload/clear", """{"points": [3]}""");
        await Check("POST", "/collections/raw/points/delete", points + "/delete", """{"filter": {"must": [{"has_id": [2]}]}}""", status: 400);
        await Check("POST", "/collections/raw/points/delete", points + "/delete", """{"points": [4]}""");
        await Check("DELETE", "/collections/text", "/collections/{name}");

        // Errors, in each API's own shape.
        await Check("GET", "/collections/nowhere", "/collections/{name}", status: 404);
        await Check("GET", "/collections/nowhere/exists", "/collections/{name}/exists");
        await Check("DELETE", "/collections/nowhere", "/collections/{name}");
        await Check("PUT", "/collections/raw/points", points, """{"points": [{"id": 9, "vector": [1, 0]}]}""", status: 400);
        await Check("POST", "/v1/embeddings", "/v1/embeddings", """{"input": ["a"], "model": "missing"}""", status: 404);
        await Check("GET", "/v1/models/missing", "/v1/models/{model}", status: 404);

        Assert.True(_problems.Count == 0, string.Join('\n', _problems));
    }

    /// <summary>Sends one request, checks its status, and records where it or its answer does not match the document.</summary>
    private async Task Check(string method, string path, string template, string? body = null, int status = 200)
    {
        var operation = _document.Paths[template][method.ToLowerInvariant()];
        var label = $"{method} {path}";
        if (body is not null && status == 200)
        {
            Record($"{label} request", operation.RequestBody!.Content["application/json"].Schema, body);
        }

        var (actual, answer) = await _server.Send(new HttpMethod(method), path, body);
        Assert.True(actual == status, $"{label}: expected {status}, got {actual}: {answer?.ToJsonString()}");
        if (!operation.ActualResponses.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var documented))
        {
            _problems.Add($"{label}: status {status} is not documented");
            return;
        }

        Record($"{label} answer {status}", documented.Content["application/json"].Schema, answer!.ToJsonString());
    }

    private void Record(string what, JsonSchema schema, string json)
    {
        var errors = schema.Validate(json);
        if (errors.Count > 0)
        {
            _problems.Add($"{what}: {string.Join("; ", errors)}\n  {json[..Math.Min(json.Length, 400)]}");
        }
    }
}
