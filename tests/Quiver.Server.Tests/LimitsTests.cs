using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Quiver.Server.Tests;

/// <summary>Body size, inputs per request and the bounded queue (429 with Retry-After).</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task A_body_over_the_limit_is_413_in_the_routes_style()
    {
        await using var server = new ServerFixture(o => o with { Limits = o.Limits with { MaxBodyBytes = 1024 } });
        var big = "{\"input\": \"" + new string('a', 4000) + "\"}";

        var (status, body) = await server.Post("/v1/embeddings", big);

        Assert.Equal(413, status);
        Assert.Equal("request_too_large", body!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Too_many_inputs_are_refused_with_the_limit()
    {
        await using var server = new ServerFixture(o => o with { Limits = o.Limits with { MaxInputsPerRequest = 3 } });

        var (status, body) = await server.Post("/v1/embeddings", new { input = new[] { "a", "b", "c", "d" } });

        Assert.Equal(400, status);
        Assert.Contains("at most 3", body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_the_server_recovers()
    {
        await using var server = new ServerFixture(o => o with { Limits = o.Limits with { MaxConcurrentRequests = 1, QueueLimit = 0 } });

        // The only slot is taken as a request being served would take it. (A request whose body has not all arrived
        // no longer holds one: BodyArrival reads bodies before admission; BodyMemoryTests checks that.)
        var limiter = server.App.Services.GetRequiredService<ConcurrencyLimiter>();
        var held = await limiter.AcquireAsync(1);
        Assert.True(held.IsAcquired);

        var refused = await server.Client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("rate_limit_error", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);

        held.Dispose();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v1/models")).StatusCode);
        var (status, _) = await server.Post("/v1/embeddings", new { input = "the cat sat" });
        Assert.Equal(200, status);
    }
}
