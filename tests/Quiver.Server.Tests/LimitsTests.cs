using System.Net;
using System.Text;

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
        await using var server = new ServerFixture(o => o with { Limits = o.Limits with { MaxConcurrentRequests = 1, QueueLimit = 0 } }, loopback: true);

        // A request whose body has not all arrived holds the only slot (a raw socket, so the headers go out at once).
        // If one of the probes below got the slot first, that request was itself refused (an answer is waiting on its
        // socket): open a new one and try again.
        var uri = new Uri(server.Url);
        var body = "{\"input\": \"the cat sat\"}"u8.ToArray();
        System.Net.Sockets.TcpClient? socket = null;
        System.Net.Sockets.NetworkStream? stream = null;
        HttpResponseMessage? refused = null;
        for (var tries = 0; refused is null && tries < 400; tries++)
        {
            if (socket is null || socket.Available > 0)
            {
                socket?.Dispose();
                socket = new System.Net.Sockets.TcpClient();
                await socket.ConnectAsync(uri.Host, uri.Port);
                stream = socket.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /v1/embeddings HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
                await stream.WriteAsync(body.AsMemory(0, 1));
                await stream.FlushAsync();
            }

            await Task.Delay(25);
            var probe = await server.Client.GetAsync("/v1/models");
            if (probe.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = probe;
            }
            else
            {
                probe.Dispose();
            }
        }

        using var held = socket!;
        Assert.NotNull(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("rate_limit_error", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);

        await stream!.WriteAsync(body.AsMemory(1));
        var answer = new byte[64];
        var read = await stream.ReadAsync(answer);
        Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
        held.Close();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v1/models")).StatusCode);
    }
}
