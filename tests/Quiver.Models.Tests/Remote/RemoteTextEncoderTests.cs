using System.Diagnostics;
using System.Globalization;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models.Remote;
using Quiver.Models;

namespace Quiver.Models.Tests.Remote;

/// <summary>
/// The remote generator against a scripted loopback endpoint, for the faults a real server does not produce on
/// demand: throttling, outages, garbage, answers of the wrong size or count, non-finite values, a missing key.
/// (That its vectors are the served model's is checked against a real quiver serve in Quiver.Server.Tests.)
/// </summary>
public sealed class RemoteTextEncoderTests
{
    private static readonly EmbeddingSpace Space = new(new ModelReference("far", null, "0123456789abcdef"), 4, DistanceMetric.Cosine, Normalized: false);

    // Each text "n" gets the vector [n, 1, 2, 3]: order and batching are visible in the answers.
    private static float[] VectorOf(string text) => [float.Parse(text, CultureInfo.InvariantCulture), 1, 2, 3];

    private static ScriptedAnswer Echo(ScriptedRequest request) =>
        ScriptedAnswer.Ok(ScriptedEndpoint.Embeddings(request.Inputs.Select(VectorOf), promptTokens: request.Inputs.Count * 2));

    private static RemoteEndpoint Endpoint(ScriptedEndpoint server, int maxBatch = RemoteEndpoint.DefaultMaxBatch) =>
        RemoteEndpoint.Create(server.Url.ToString(), "scripted-model", maxBatch: maxBatch) with { FirstRetryDelay = TimeSpan.FromMilliseconds(10) };

    private static string[] Texts(int count) => [.. Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Inputs_are_sent_in_requests_of_at_most_max_batch_and_come_back_in_order()
    {
        using var server = new ScriptedEndpoint(Echo);
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server, maxBatch: 3), Space));

        var result = await generator.GenerateAsync(Texts(7));

        Assert.Equal([3, 3, 1], server.Requests.Select(r => r.Inputs.Count));
        Assert.All(server.Requests, r => Assert.Equal("/v1/embeddings", r.Path));
        Assert.All(server.Requests, r => Assert.Equal("scripted-model", r.Model));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (float)i), result.Select(e => e.Vector.Span[0]));
        Assert.All(result, e => Assert.Equal("far", e.ModelId));
        Assert.Equal(14, result.Usage!.InputTokenCount);
        Assert.Same(Space, generator.GetService(typeof(EmbeddingSpace)));
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_then_answered()
    {
        var calls = 0;
        using var server = new ScriptedEndpoint(request => Interlocked.Increment(ref calls) == 1
            ? new ScriptedAnswer(429, """{"error":{"message":"Rate limit reached","type":"rate_limit"}}""", RetryAfter: 1)
            : Echo(request));
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server), Space));

        var clock = Stopwatch.StartNew();
        var result = await generator.GenerateAsync(["5", "6"]);

        // The backoff alone would wait about 10 ms: the second call came after the second Retry-After asked for.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {clock.Elapsed.TotalSeconds:F2} s, before Retry-After's 1 s");
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([5f, 6f], result.Select(e => e.Vector.Span[0]));
    }

    [Fact]
    public async Task A_persistent_5xx_is_retried_a_bounded_number_of_times_and_the_error_says_how_many()
    {
        using var server = new ScriptedEndpoint(_ => new ScriptedAnswer(503, """{"error":{"message":"model is loading"}}"""));
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server) with { MaxAttempts = 3 }, Space));

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1"]));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(503, error.Status);
        Assert.Contains("gave up after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("model is loading", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Url.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_4xx_other_than_429_is_not_retried_and_the_providers_words_are_kept()
    {
        using var server = new ScriptedEndpoint(_ => new ScriptedAnswer(400, """{"error":{"message":"input[0] is too long"}}"""));
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server), Space));

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1"]));

        Assert.Single(server.Requests);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains("input[0] is too long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_an_embeddings_response_is_refused()
    {
        using var server = new ScriptedEndpoint(_ => ScriptedAnswer.Ok("<html>gateway says hello</html>"));
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server), Space));

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1"]));

        Assert.Contains("not an OpenAI embeddings response", error.Message, StringComparison.Ordinal);
        Assert.Contains("'far'", error.Message, StringComparison.Ordinal);

        // JSON without "data" reads as no vectors at all.
        server.Answer = _ => ScriptedAnswer.Ok("""{"object":"list","model":"scripted"}""");
        error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1"]));
        Assert.Contains("answered 0 vectors for 1 inputs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_of_the_wrong_size_is_refused_naming_both_sizes()
    {
        using var server = new ScriptedEndpoint(request => ScriptedAnswer.Ok(ScriptedEndpoint.Embeddings(request.Inputs.Select(_ => new float[] { 1, 2, 3 }))));
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server), Space));

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1"]));

        Assert.Contains("3-dimensional vector for input 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("gives 4 dimensions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_with_too_few_vectors_is_refused_naming_both_counts()
    {
        using var server = new ScriptedEndpoint(request => ScriptedAnswer.Ok(ScriptedEndpoint.Embeddings([VectorOf(request.Inputs[0])])));
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server), Space));

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1", "2", "3"]));

        Assert.Contains("answered 1 vectors for 3 inputs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_with_a_non_finite_value_is_refused_naming_where()
    {
        using var server = new ScriptedEndpoint(request => ScriptedAnswer.Ok(ScriptedEndpoint.Embeddings(request.Inputs.Select(t => t == "2" ? new[] { 1f, float.NaN, 0, 0 } : VectorOf(t)))));
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server), Space));

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1", "2"]));

        Assert.Contains("NaN at dimension 1 for input 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_variable_is_named_with_the_model()
    {
        var variable = "QUIVER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        var endpoint = RemoteEndpoint.Create("http://127.0.0.1:9/v1", "m", apiKeyVariable: variable);

        var error = Assert.Throws<QuiverException>(() => new TextEmbeddingGenerator(new RemoteTextEncoder(endpoint, Space)));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Contains("'far'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not set or is empty", error.Message, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable(variable, string.Empty);
        try
        {
            Assert.Contains(variable, Assert.Throws<QuiverException>(() => new TextEmbeddingGenerator(new RemoteTextEncoder(endpoint, Space))).Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task The_key_is_read_from_its_variable_and_sent_as_a_bearer_token()
    {
        var variable = "QUIVER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-test-123");
        try
        {
            using var server = new ScriptedEndpoint(Echo);
            using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server) with { ApiKeyVariable = variable }, Space));

            await generator.GenerateAsync(["1"]);

            Assert.Equal("Bearer sk-test-123", Assert.Single(server.Requests).Authorization);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_at_once_naming_the_url()
    {
        var endpoint = RemoteEndpoint.Create($"http://127.0.0.1:{ScriptedEndpoint.UnusedPort()}/v1", "m");
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(endpoint, Space));

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1"]));

        Assert.StartsWith($"Cannot reach {endpoint.BaseUrl}", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.Status);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_in_time_is_a_timeout_not_a_cancellation()
    {
        // No attempt may ever answer in time (a fixed 2 s sleep let a retried request through once in a loaded run):
        // every request waits until the test has its answer.
        using var answered = new ManualResetEventSlim();
        using var server = new ScriptedEndpoint(request =>
        {
            answered.Wait(TimeSpan.FromSeconds(30));
            return Echo(request);
        });
        using var generator = new TextEmbeddingGenerator(new RemoteTextEncoder(Endpoint(server) with { RequestTimeout = TimeSpan.FromMilliseconds(200) }, Space));

        var error = await Assert.ThrowsAsync<RemoteEmbeddingException>(() => generator.GenerateAsync(["1"]));
        answered.Set();

        Assert.Contains("did not answer the remote model 'far' within 0.2 s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/v1", "is not an http(s) URL")]
    [InlineData("api.openai.com/v1", "is not an http(s) URL")]
    public void A_base_url_that_is_not_http_is_refused(string url, string expected) =>
        Assert.Contains(expected, Assert.Throws<QuiverException>(() => RemoteEndpoint.Create(url, "m")).Message, StringComparison.Ordinal);

    [Fact]
    public void A_key_given_where_its_variable_name_belongs_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<QuiverException>(() => RemoteEndpoint.Create("http://127.0.0.1:9/v1", "m", apiKeyVariable: "sk-proj-abc.def"));
        Assert.Contains("never the key itself", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-proj", error.Message, StringComparison.Ordinal);
    }
}
