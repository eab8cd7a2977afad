using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Quiver.Server.Tests;

/// <summary>
/// /openapi/v1.json describes every route with its request and response schemas and its errors, and every
/// reference in it resolves, so client generators can use it.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];
    private ServerFixture _server = null!;
    private JsonObject _document = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture();
        _document = (JsonObject)await _server.Ok(_server.Get("/openapi/v1.json"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() => Operations(_document);

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in Methods
        where path.Value![method] is JsonObject
        select (path.Key, method, (JsonObject)path.Value![method]!);

    [Fact]
    public void Every_operation_has_a_success_schema_and_every_body_taking_one_a_request_schema() =>
        Assert.True(Gaps(_document).Count == 0, string.Join('\n', Gaps(_document)));

    [Fact]
    public void The_walk_finds_an_operation_without_schemas()
    {
        var document = (JsonObject)JsonNode.Parse("""
            {"paths": {
              "/good": {"post": {"operationId": "good", "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                                 "responses": {"200": {"content": {"application/json": {"schema": {"type": "string"}}}}}}},
              "/bad": {"put": {"responses": {"200": {"description": "OK"}, "400": {"content": {"application/json": {"schema": {"type": "object"}}}}}},
                       "get": {"operationId": "bad", "responses": {"204": {"content": {"application/json": {"schema": {}}}}}}}}}
            """)!;
        Assert.Equal(["GET /bad: no 2xx response schema", "PUT /bad: no request body schema", "PUT /bad: no 2xx response schema", "PUT /bad: no operationId"], Gaps(document));
    }

    // What a client generator needs and an operation lacks: a request schema where there is a body, a success schema, an operationId.
    private static List<string> Gaps(JsonObject document)
    {
        var missing = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            if (method is "post" or "put" or "patch" && !HasSchema(operation["requestBody"]))
            {
                missing.Add($"{method.ToUpperInvariant()} {path}: no request body schema");
            }

            var success = operation["responses"]?.AsObject().Where(r => r.Key.StartsWith('2')).ToList() ?? [];
            if (!success.Any(r => HasSchema(r.Value)))
            {
                missing.Add($"{method.ToUpperInvariant()} {path}: no 2xx response schema");
            }

            if (operation["operationId"] is null)
            {
                missing.Add($"{method.ToUpperInvariant()} {path}: no operationId");
            }
        }

        return missing;
    }

    [Fact]
    public void Every_route_the_server_maps_is_in_the_document()
    {
        var routes = _server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != "/openapi/{documentName}.json")
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Path(e.RoutePattern.RawText!)}"))
            .ToHashSet(StringComparer.Ordinal);
        var documented = Operations().Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}").ToHashSet(StringComparer.Ordinal);
        Assert.Empty(routes.Except(documented));
    }

    [Fact]
    public void Errors_are_documented_in_each_API_style()
    {
        var embeddings = _document["paths"]!["/v1/embeddings"]!["post"]!["responses"]!;
        Assert.EndsWith("/OpenAiError", Schema(embeddings["400"])!["$ref"]!.GetValue<string>(), StringComparison.Ordinal);
        var upsert = _document["paths"]!["/collections/{name}/points"]!["put"]!["responses"]!;
        foreach (var status in new[] { "400", "401", "403", "404", "413", "429", "500", "502" })
        {
            Assert.EndsWith("/QdrantError", Schema(upsert[status])?["$ref"]?.GetValue<string>() ?? $"no {status}", StringComparison.Ordinal);
        }

        var search = _document["paths"]!["/collections/{name}/points/search"]!["post"]!["responses"]!.AsObject();
        Assert.False(search.ContainsKey("403"), "a read route documents the read-only key's 403");
        Assert.False(_document["paths"]!["/healthz"]!["get"]!["responses"]!.AsObject().ContainsKey("401"), "the health probe needs no key");
        Assert.False(_document["paths"]!["/collections/{name}/exists"]!["get"]!["responses"]!.AsObject().ContainsKey("404"), "exists answers false, not 404");
    }

    [Fact]
    public void Every_reference_resolves()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();
        var broken = References(_document).Where(r => !r.StartsWith("#/components/schemas/", StringComparison.Ordinal) || !schemas.ContainsKey(r["#/components/schemas/".Length..])).ToList();
        Assert.Empty(broken);
    }

    [Fact]
    public void Union_fields_list_every_shape_the_handlers_read()
    {
        var schemas = _document["components"]!["schemas"]!;
        Assert.Equal(4, schemas["EmbeddingsInput"]!["oneOf"]!.AsArray().Count);
        Assert.Equal(["integer", "string"], Types(schemas["PointId"]!["oneOf"]!));
        Assert.Equal(["Cosine", "Dot", "Euclid"], schemas["DistanceName"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("string", schemas["EncodingFormat"]!["type"]!.GetValue<string>());
        Assert.Equal(["float", "base64"], schemas["EncodingFormat"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(7, schemas["QueryInput"]!["anyOf"]!.AsArray().Count);
        Assert.Contains("input", schemas["EmbeddingsRequest"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    // A group's own route ("/collections/{name}/points" + "") keeps a final slash that the document drops.
    private static string Path(string route) => route.Length > 1 ? route.TrimEnd('/') : route;

    private static List<string> Types(JsonNode alternatives) => [.. alternatives.AsArray().Select(a => a!["type"]!.GetValue<string>())];

    private static JsonNode? Schema(JsonNode? holder) =>
        holder?["content"]?.AsObject().Select(c => c.Value?["schema"]).FirstOrDefault(s => s is not null);

    private static bool HasSchema(JsonNode? holder) => Schema(holder) is JsonObject { Count: > 0 };

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}
