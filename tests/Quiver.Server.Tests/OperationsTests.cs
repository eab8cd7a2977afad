using System.Text.RegularExpressions;

namespace Quiver.Server.Tests;

/// <summary>/metrics in Prometheus' text format, the health probes, the docs page and the OpenAPI document.</summary>
public sealed partial class OperationsTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [GeneratedRegex(@"^(?:# (?:HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*""(?:,[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*"")*\})? (?:[-+]?[0-9.eE+-]+|\+Inf|NaN))$")]
    private static partial Regex ExpositionLine();

    [Fact]
    public async Task Metrics_count_requests_per_route_batches_tokens_and_collection_sizes()
    {
        await _server.Ok(_server.Post("/v1/embeddings", new { input = new[] { "the whale swims", "a cat" }, model = "bert" }));
        await _server.Ok(_server.Put("/collections/m", new { vectors = new { size = 2, distance = "Dot" } }));
        await _server.Ok(_server.Put("/collections/m/points", new { points = new[] { new { id = 1, vector = new[] { 1f, 2f } }, new { id = 2, vector = new[] { 2f, 1f } } } }));
        await _server.Ok(_server.Post("/collections/m/points/search", new { vector = new[] { 1f, 0f }, limit = 1 }));

        var text = await _server.Client.GetStringAsync("/metrics");

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Matches(ExpositionLine(), line);
        }

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Matches(@"http_server_request_duration_seconds_count\{[^}]*http_route=""/v1/embeddings""[^}]*\} 1", text);
        Assert.Matches(@"http_server_request_duration_seconds_count\{[^}]*http_route=""/collections/\{name\}/points/search""[^}]*\} 1", text);
        Assert.Matches(@"http_server_request_duration_seconds_bucket\{[^}]*le=""\+Inf""[^}]*\} \d+", text);
        Assert.Contains("quiver_embedding_tokens_total{model=\"bert\"} 9", text, StringComparison.Ordinal); // 5 + 4 with [CLS] and [SEP]
        Assert.Contains("quiver_embedding_inputs_total{model=\"bert\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("quiver_embedding_batch_inputs_sum 2", text, StringComparison.Ordinal);
        Assert.Contains("quiver_collection_points{collection=\"m\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("quiver_server_queue_depth 0", text, StringComparison.Ordinal);

        await _server.Ok(_server.Send(HttpMethod.Delete, "/collections/m"));
        Assert.DoesNotContain("collection=\"m\"", await _server.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_docs_and_the_OpenAPI_document_answer()
    {
        Assert.Equal("healthz check passed", await _server.Client.GetStringAsync("/healthz"));
        Assert.Equal("all shards are ready", await _server.Client.GetStringAsync("/readyz"));
        var root = await _server.Ok(_server.Get("/"));
        Assert.StartsWith("1.", root["version"]!.GetValue<string>(), StringComparison.Ordinal);

        var docs = await _server.Client.GetStringAsync("/docs");
        Assert.Contains("/v1/embeddings", docs, StringComparison.Ordinal);
        Assert.Contains("/collections/{name}/points/search", docs, StringComparison.Ordinal);

        var openApi = await _server.Ok(_server.Get("/openapi/v1.json"));
        Assert.NotNull(openApi["paths"]!["/v1/embeddings"]);
        Assert.NotNull(openApi["paths"]!["/collections/{name}/points/query"]);
    }
}
