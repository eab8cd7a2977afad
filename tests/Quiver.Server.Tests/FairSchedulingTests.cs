using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Quiver.Models.Onnx;
using Quiver.Server.Embeddings;

namespace Quiver.Server.Tests;

/// <summary>
/// The embedding queue schedules by tokens, fairly between requests: a large request is cut into slices and the small
/// requests that come meanwhile run between them; a token budget per request, a deadline, and cancellation. Model
/// calls are counted and held (<see cref="HeldModelCalls"/>), so every check is about order, never about time.
/// </summary>
public sealed class FairSchedulingTests
{
    // The tiny BERT reads at most 16 tokens, so slices of 16 tokens hold two of these 6-token inputs.
    private static readonly string[] Large = [.. Enumerable.Range(0, 40).Select(i => $"the {ServerFixture.Words[2 + i % 9]} {ServerFixture.Words[2 + (i / 9) % 9]} sat")];

    private const string Small = "a frog jumps in the pond";

    private static ServerFixture Server(Func<ServerLimits, ServerLimits>? limits = null) =>
        new(o => o with { Workers = 1, Limits = (limits ?? (l => l))(o.Limits with { BatchMaxInputs = 8, BatchMaxTokens = 16, EmbeddingCacheEntries = 0 }) });

    private static EmbeddingBatcher Batcher(ServerFixture server) => server.App.Services.GetRequiredService<EmbeddingBatcher>();

    private static ServedModel Bert(ServerFixture server) => server.App.Services.GetRequiredService<ServedModels>().Get("bert");

    private static float[] Vector(JsonNode item) => [.. item["embedding"]!.AsArray().Select(v => v!.GetValue<float>())];

    private static async Task Until(Func<bool> condition, string what)
    {
        for (var waited = 0; !condition(); waited++)
        {
            Assert.True(waited < 6000, $"gave up waiting until {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public void Small_requests_waiting_together_merge_into_one_call_between_the_slices_of_a_large_one()
    {
        static QueuedRequest Request(int inputs, int tokensEach) =>
            new([.. Enumerable.Range(0, inputs).Select(i => new EmbeddingInput($"t{i}", null))], [.. Enumerable.Repeat(tokensEach, inputs)], TruncationPolicy.Truncate, 100, 10, CancellationToken.None);

        var queue = new EmbeddingQueue(quantum: 10);
        var large = Request(10, 10);
        var (first, second) = (Request(1, 3), Request(1, 3));
        queue.Add(large);
        var calls = new List<ModelCall>();
        ModelCall Next()
        {
            var call = new ModelCall();
            queue.Fill(call, 100, 10);
            calls.Add(call);
            return call;
        }

        Next();
        queue.Add(first);
        queue.Add(second);
        while (Next().Slices.Count > 0)
        {
        }

        // The large request's first slice, then both small ones merged, then the large one's other nine slices.
        Assert.Equal(12, calls.Count);
        Assert.Equal([large], calls[0].Slices.Select(s => s.Request));
        Assert.Equal([first, second], calls[1].Slices.Select(s => s.Request));
        Assert.All(calls.Skip(2).Take(9), c => Assert.Equal([large], c.Slices.Select(s => s.Request)));
        Assert.Equal(Enumerable.Range(0, 10), calls.Where(c => c.Slices.Count > 0 && c.Slices[0].Request == large).Select(c => c.Slices[0].Start));
        Assert.Equal(0, queue.PendingInputs);
    }

    [Fact]
    public async Task A_small_request_sent_while_a_large_one_is_queued_is_answered_before_it()
    {
        await using var server = Server();
        var batcher = Batcher(server);
        var held = new HeldModelCalls(batcher);

        var large = server.Post("/v1/embeddings", new { input = Large, model = "bert" });
        await held.FirstStarted.WaitAsync(TimeSpan.FromMinutes(1));
        var small = server.Post("/v1/embeddings", new { input = Small, model = "bert" });
        await Until(() => batcher.Pending == Large.Length - 2 + 1, "the small request is queued behind the large one's first slice");
        held.Release();
        var (largeStatus, largeBody) = await large;
        var (smallStatus, smallBody) = await small;

        Assert.Equal(200, largeStatus);
        Assert.Equal(200, smallStatus);

        // 20 slices of two inputs for the large request; the small one ran alone in the call right after the first.
        var calls = held.Calls;
        Assert.Equal(21, calls.Count);
        Assert.Equal(1, held.CallWith(Small));
        Assert.Equal([Small], calls[1].Inputs.Select(i => i.Text));
        Assert.Equal(20, held.LastCallWith(Large[^1]));

        var reference = await Bert(server).EmbedAsync([.. Large.Append(Small).Select(t => new EmbeddingInput(t, null))], TruncationPolicy.Truncate, CancellationToken.None);
        Assert.Equal(reference[^1].Vector, Vector(smallBody!["data"]![0]!));
        for (var i = 0; i < Large.Length; i++)
        {
            Assert.Equal(reference[i].Vector, Vector(largeBody!["data"]![i]!));
        }
    }

    [Fact]
    public async Task A_cancelled_request_leaves_the_queue_and_makes_no_further_model_calls()
    {
        await using var server = Server();
        var batcher = Batcher(server);
        var held = new HeldModelCalls(batcher);
        var model = Bert(server);
        using var client = new CancellationTokenSource();

        var large = batcher.Embed(model, [.. Large.Select(t => new EmbeddingInput(t, null))], TruncationPolicy.Truncate, client.Token);
        await held.FirstStarted.WaitAsync(TimeSpan.FromMinutes(1));
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large);

        // Its 38 queued inputs are gone, and the call it was running alone was told to stop.
        Assert.Equal(0, batcher.Pending);
        Assert.True(held.Calls[0].Cancellation.IsCancellationRequested);
        held.Release();
        var after = await batcher.Embed(model, [new EmbeddingInput(Small, null)], TruncationPolicy.Truncate, CancellationToken.None);

        Assert.Single(after);
        Assert.Equal(2, held.Calls.Count);
        Assert.Equal([Small], held.Calls[1].Inputs.Select(i => i.Text));
    }

    [Fact]
    public async Task A_client_that_goes_away_has_its_queued_slices_dropped()
    {
        await using var server = Server();
        var batcher = Batcher(server);
        var held = new HeldModelCalls(batcher);
        using var client = new CancellationTokenSource();
        using var content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { input = Large, model = "bert" }), System.Text.Encoding.UTF8, "application/json");

        var large = server.Client.PostAsync("/v1/embeddings", content, client.Token);
        await held.FirstStarted.WaitAsync(TimeSpan.FromMinutes(1));
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large);

        // The server sees the request aborted and drops what is queued; the held call then ends, and only the next
        // request's call follows it.
        await Until(() => batcher.Pending == 0, "the aborted request's slices leave the queue");
        held.Release();
        await server.Ok(server.Post("/v1/embeddings", new { input = Small, model = "bert" }));
        Assert.Equal(2, held.Calls.Count);
        Assert.Equal([Small], held.Calls[1].Inputs.Select(i => i.Text));
    }

    [Fact]
    public async Task A_request_past_its_deadline_gets_503_in_JSON_and_its_remaining_slices_are_dropped()
    {
        await using var server = Server(l => l with { EmbeddingDeadline = TimeSpan.FromSeconds(1) });
        var batcher = Batcher(server);
        var held = new HeldModelCalls(batcher);

        var (status, body) = await server.Post("/v1/embeddings", new { input = Large, model = "bert" });

        Assert.Equal(503, status);
        Assert.Equal("deadline_exceeded", body!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("deadline of 1 s", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, batcher.Pending);

        held.Release();
        await server.Ok(server.Post("/v1/embeddings", new { input = Small, model = "bert" }));
        Assert.Equal(2, held.Calls.Count);
        Assert.Equal([Small], held.Calls[1].Inputs.Select(i => i.Text));
    }

    [Fact]
    public async Task A_request_over_the_token_budget_is_413_before_any_model_work_chunk_windows_counted()
    {
        await using var server = Server(l => l with { MaxTokensPerRequest = 20 });
        var held = new HeldModelCalls(Batcher(server), hold: false);
        var longText = string.Join(' ', Enumerable.Repeat("the cat sat on the mat", 5));

        // Five inputs of 5 tokens ([CLS] the whale swims [SEP]) cost 25.
        var (status, body) = await server.Post("/v1/embeddings", new { input = Enumerable.Repeat("the whale swims", 5), model = "bert" });
        Assert.Equal(413, status);
        Assert.Equal("max_tokens_per_request", body!["error"]!["code"]!.GetValue<string>());
        var message = body["error"]!["message"]!.GetValue<string>();
        Assert.Contains("costs 25 tokens", message, StringComparison.Ordinal);
        Assert.Contains("at most 20 tokens per request", message, StringComparison.Ordinal);
        Assert.Contains("Split", message, StringComparison.Ordinal);
        Assert.Empty(held.Calls);

        // Truncated, the long text costs the model's 16; chunked, its 30 words cost every window.
        var truncated = await server.Ok(server.Post("/v1/embeddings", new { input = longText, model = "bert" }));
        Assert.Equal(16, truncated["usage"]!["prompt_tokens"]!.GetValue<int>());
        (status, body) = await server.Post("/v1/embeddings", new { input = longText, model = "bert", truncation = "chunk" });
        Assert.Equal(413, status);
        Assert.Contains("truncation 'chunk'", body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(held.Calls);
    }

    [Fact]
    public async Task Scheduled_results_are_those_of_one_unscheduled_call()
    {
        await using var server = new ServerFixture(o => o with { Workers = 2, Limits = o.Limits with { BatchMaxInputs = 8, BatchMaxTokens = 16, EmbeddingCacheEntries = 0 } });
        var words = ServerFixture.Words;
        var texts = Enumerable.Range(0, 30).Select(i => string.Join(' ', Enumerable.Range(0, 1 + i % 23).Select(w => words[(i * 7 + w * 3) % words.Length]))).ToArray();
        var model = Bert(server);

        // A large request of mixed lengths (some over 16 tokens, truncated or chunked) with small ones sent meanwhile.
        var large = server.Ok(server.Post("/v1/embeddings", new { input = texts, model = "bert" }));
        var chunked = server.Ok(server.Post("/v1/embeddings", new { input = texts, model = "bert", truncation = "chunk" }));
        var smalls = texts.Take(10).Select(t => server.Ok(server.Post("/v1/embeddings", new { input = t, model = "bert" }))).ToList();

        var inputs = texts.Select(t => new EmbeddingInput(t, null)).ToList();
        var expected = await model.EmbedAsync(inputs, TruncationPolicy.Truncate, CancellationToken.None);
        var expectedChunked = await model.EmbedAsync(inputs, TruncationPolicy.Chunk, CancellationToken.None);
        void Same(EmbeddingResult expected, JsonNode actual, string what)
        {
            var vector = Vector(actual);
            var worst = expected.Vector.Select((e, d) => Math.Abs(e - vector[d])).Max();
            Assert.True(worst <= 1e-5, $"{what} differs from the unscheduled call by {worst}");
        }

        var largeBody = await large;
        var chunkedBody = await chunked;
        for (var i = 0; i < texts.Length; i++)
        {
            Same(expected[i], largeBody["data"]![i]!, $"input {i}");
            Same(expectedChunked[i], chunkedBody["data"]![i]!, $"chunked input {i}");
        }

        for (var i = 0; i < smalls.Count; i++)
        {
            Same(expected[i], (await smalls[i])["data"]![0]!, $"small request {i}");
        }
    }
}
