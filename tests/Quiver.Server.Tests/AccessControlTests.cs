using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Quiver.Core;

namespace Quiver.Server.Tests;

/// <summary>API keys on every route: 401 without a valid key, 403 for writes with a read-only key.</summary>
public sealed class AccessControlTests : IAsyncLifetime
{
    private const string Admin = "admin-key-3f9a";
    private const string Reader = "reader-key-77c1";
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(o => o with { AdminKeys = [Admin], ReadOnlyKeys = [Reader] });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Every mapped route with its methods, parameters filled in, and whether it writes.
    private IEnumerable<(HttpMethod Method, string Path, bool Writes)> Routes()
    {
        var endpoints = _server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/')
                .Replace("{name}", "guarded", StringComparison.Ordinal)
                .Replace("{id}", "1", StringComparison.Ordinal)
                .Replace("{model}", "bert", StringComparison.Ordinal)
                .Replace("{documentName}", "v1", StringComparison.Ordinal);
            var writes = endpoint.Metadata.GetMetadata<Security.WriteAccess>() is not null;
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                yield return (new HttpMethod(method), path, writes);
            }
        }
    }

    private async Task<int> Call(HttpMethod method, string path, Action<HttpRequestMessage>? authorise)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get && method != HttpMethod.Delete)
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        authorise?.Invoke(request);
        using var response = await _server.Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Every_route_but_the_probes_refuses_a_missing_or_wrong_key()
    {
        var routes = Routes().ToList();
        Assert.True(routes.Count >= 25, $"only {routes.Count} routes found");
        foreach (var (method, path, _) in routes)
        {
            // The explorer's page holds no data; "/explorer/{file}" is no file of it, so it wants a key like any route.
            var open = path is "/healthz" or "/readyz" or "/livez" or "/explorer";
            var missing = await Call(method, path, null);
            var wrong = await Call(method, path, r => r.Headers.Add("api-key", "not-" + Admin));
            var wrongBearer = await Call(method, path, r => r.Headers.Authorization = new("Bearer", Admin + "x"));
            if (open)
            {
                Assert.Equal(200, missing);
            }
            else
            {
                Assert.True(missing == 401, $"{method} {path} without a key gave {missing}");
                Assert.True(wrong == 401, $"{method} {path} with a wrong key gave {wrong}");
                Assert.True(wrongBearer == 401, $"{method} {path} with a wrong bearer key gave {wrongBearer}");
            }
        }
    }

    [Fact]
    public async Task Every_write_route_refuses_a_read_only_key_and_every_read_route_accepts_it()
    {
        await _server.Ok(_server.Put("/collections/guarded", new { vectors = new { size = 3, distance = "Cosine" } }, Admin));
        await _server.Ok(_server.Put("/collections/guarded/points", new { points = new[] { new { id = 1, vector = new[] { 1f, 0f, 0f } } } }, Admin));
        var writes = 0;
        foreach (var (method, path, isWrite) in Routes())
        {
            var status = await Call(method, path, r => r.Headers.Add("api-key", Reader));
            if (isWrite)
            {
                writes++;
                Assert.True(status == 403, $"{method} {path} with a read-only key gave {status}");
            }
            else
            {
                Assert.True(status is not (401 or 403), $"{method} {path} refused a read-only key with {status}");
            }
        }

        Assert.True(writes >= 9, $"only {writes} write routes found");

        // Nothing was changed by the refused writes.
        var count = await _server.Ok(_server.Post("/collections/guarded/points/count", new { }, Reader));
        Assert.Equal(1, count["result"]!["count"]!.GetValue<int>());
        Assert.True((await _server.Ok(_server.Get("/collections/guarded/exists", Reader)))["result"]!["exists"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_admin_key_works_as_a_header_or_a_bearer_token()
    {
        Assert.Equal(200, await Call(HttpMethod.Get, "/collections", r => r.Headers.Add("api-key", Admin)));
        Assert.Equal(200, await Call(HttpMethod.Get, "/v1/models", r => r.Headers.Authorization = new("Bearer", Admin)));
        var (status, body) = await _server.Get("/v1/models");
        Assert.Equal(401, status);
        Assert.Equal("missing_api_key", body!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public void Read_only_keys_without_an_admin_key_are_refused_at_start()
    {
        var error = Assert.Throws<QuiverException>(() => new Security.ApiKeys([], ["r"]));
        Assert.Contains("admin key", error.Message, StringComparison.Ordinal);
    }
}
