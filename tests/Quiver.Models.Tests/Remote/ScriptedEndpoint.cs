using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Quiver.Models.Tests.Remote;

/// <summary>
/// A tiny HTTP server on loopback for the faults a real embeddings server does not produce on demand (429 with
/// Retry-After, garbage, wrong sizes): each request to /v1/embeddings is answered by <see cref="Answer"/>.
/// </summary>
internal sealed class ScriptedEndpoint : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public ScriptedEndpoint(Func<ScriptedRequest, ScriptedAnswer> answer)
    {
        Answer = answer;
        (_listener, Url) = Listen();
        _loop = Task.Run(Serve);
    }

    /// <summary>The base URL to give a remote endpoint (ends with /v1).</summary>
    public Uri Url { get; }

    public Func<ScriptedRequest, ScriptedAnswer> Answer { get; set; }

    public ConcurrentQueue<ScriptedRequest> Requests { get; } = new();

    /// <summary>A loopback port that nothing listens on (bound, read, released).</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>An OpenAI embeddings answer: one object per vector, floats as base64 (the client asks for it), usage when given.</summary>
    public static string Embeddings(IEnumerable<float[]> vectors, int? promptTokens = null)
    {
        var data = new JsonArray();
        var index = 0;
        foreach (var vector in vectors)
        {
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = index++,
                ["embedding"] = Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())),
            });
        }

        var body = new JsonObject { ["object"] = "list", ["data"] = data, ["model"] = "scripted" };
        if (promptTokens is { } tokens)
        {
            body["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens };
        }

        return body.ToJsonString();
    }

    private static (HttpListener, Uri) Listen()
    {
        // HttpListener cannot take port 0; a port just released by the OS is free unless another test takes it first.
        for (var attempt = 0; ; attempt++)
        {
            var port = UnusedPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, new Uri($"http://127.0.0.1:{port}/v1"));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
            var request = new ScriptedRequest(
                context.Request.Url!.AbsolutePath,
                [.. body["input"]!.AsArray().Select(i => i!.GetValue<string>())],
                body["model"]!.GetValue<string>(),
                context.Request.Headers["Authorization"]);
            Requests.Enqueue(request);
            var answer = Answer(request);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            if (answer.RetryAfter is { } after)
            {
                context.Response.Headers["Retry-After"] = after.ToString(CultureInfo.InvariantCulture);
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener; how it ends does not matter to a test.
        }
    }
}

/// <summary>What the client sent: the path, the inputs, the model and the Authorization header.</summary>
internal sealed record ScriptedRequest(string Path, IReadOnlyList<string> Inputs, string Model, string? Authorization);

/// <summary>What the endpoint answers: a status, a body and an optional Retry-After in seconds.</summary>
internal sealed record ScriptedAnswer(int Status, string Body, int? RetryAfter = null)
{
    public static ScriptedAnswer Ok(string body) => new(200, body);
}
