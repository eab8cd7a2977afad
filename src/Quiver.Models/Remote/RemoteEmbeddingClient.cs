using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using OpenAI;
using Quiver.Core;

namespace Quiver.Models.Remote;

/// <summary>
/// Calls an OpenAI-compatible embeddings endpoint through Microsoft.Extensions.AI.OpenAI: splits the inputs into
/// requests of at most <see cref="RemoteEndpoint.MaxBatch"/>, retries 429 and 5xx answers with exponential backoff
/// (or the wait Retry-After asks), and refuses an answer that is not one finite vector of the expected size per input.
/// </summary>
public sealed partial class RemoteEmbeddingClient : IDisposable
{
    // The OpenAI client needs a credential; endpoints that need no key (Ollama, vLLM, a keyless quiver serve) ignore it.
    private const string NoKey = "no-key";

    private readonly IEmbeddingGenerator<string, Embedding<float>> _inner;

    /// <param name="modelName">The Quiver model's name, for messages.</param>
    public RemoteEmbeddingClient(string modelName, RemoteEndpoint endpoint)
    {
        ModelName = modelName;
        Endpoint = endpoint;
        var key = NoKey;
        if (endpoint.ApiKeyVariable is { } variable)
        {
            key = Environment.GetEnvironmentVariable(variable) ?? string.Empty;
            if (key.Length == 0)
            {
                throw new QuiverException(
                    $"The remote model '{modelName}' reads its API key from the environment variable {variable}, which is not set or is empty. " +
                    $"Set it (export {variable}=...) before running Quiver; the key itself is never stored.");
            }
        }

        // Retries are ours (below), so that their count, their bound and the final message are known; the client's own are off.
        var client = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = endpoint.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = endpoint.RequestTimeout,
        });
        _inner = client.GetEmbeddingClient(endpoint.Model).AsIEmbeddingGenerator();
    }

    public string ModelName { get; }

    public RemoteEndpoint Endpoint { get; }

    /// <summary>
    /// One vector per text, in order, and the input tokens the provider reported (null when it reported none).
    /// <paramref name="dimensions"/> is the size every vector must have; null takes the first vector's size.
    /// </summary>
    public async Task<(List<float[]> Vectors, long? InputTokens)> EmbedAsync(IReadOnlyList<string> texts, int? dimensions, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        long? tokens = null;
        for (var start = 0; start < texts.Count; start += Endpoint.MaxBatch)
        {
            var batch = texts.Skip(start).Take(Endpoint.MaxBatch).ToList();
            var answer = await CallAsync(batch, cancellationToken);
            if (answer.Count != batch.Count)
            {
                throw new RemoteEmbeddingException(
                    $"{Endpoint.BaseUrl} answered {answer.Count} vectors for {batch.Count} inputs (inputs {start} to {start + batch.Count - 1}) of the remote model '{ModelName}'. " +
                    "An OpenAI-compatible endpoint answers one vector per input; check that it serves embeddings for the model '" + Endpoint.Model + "'.",
                    200);
            }

            for (var i = 0; i < answer.Count; i++)
            {
                var vector = answer[i].Vector.ToArray();
                dimensions ??= vector.Length;
                Check(vector, start + i, dimensions.Value);
                vectors.Add(vector);
            }

            if (answer.Usage?.InputTokenCount is { } used)
            {
                tokens = (tokens ?? 0) + used;
            }
        }

        return (vectors, tokens);
    }

    private void Check(float[] vector, int input, int dimensions)
    {
        if (vector.Length != dimensions)
        {
            throw new RemoteEmbeddingException(
                $"{Endpoint.BaseUrl} answered a {vector.Length}-dimensional vector for input {input} of the remote model '{ModelName}', which gives {dimensions} dimensions. " +
                "The provider's model changed or the URL serves another model: vectors of another size do not belong to this model's space; add it again under a new name.",
                200);
        }

        for (var d = 0; d < vector.Length; d++)
        {
            if (!float.IsFinite(vector[d]))
            {
                throw new RemoteEmbeddingException(
                    $"{Endpoint.BaseUrl} answered a vector with {vector[d].ToString(CultureInfo.InvariantCulture)} at dimension {d} for input {input} of the remote model '{ModelName}'. " +
                    "Quiver stores and compares only finite values; the provider's model is broken for this input.",
                    200);
            }
        }
    }

    private async Task<GeneratedEmbeddings<Embedding<float>>> CallAsync(List<string> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _inner.GenerateAsync(batch, cancellationToken: cancellationToken);
            }
            catch (ClientResultException e) when (IsTransient(e.Status) && attempt < Endpoint.MaxAttempts)
            {
                await Task.Delay(RetryDelay(e.GetRawResponse(), attempt), cancellationToken);
            }
            catch (ClientResultException e)
            {
                throw Failure(e, attempt);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Not the caller's cancellation: the client's network timeout.
                throw new RemoteEmbeddingException(
                    $"{Endpoint.BaseUrl} did not answer the remote model '{ModelName}' within {Endpoint.RequestTimeout.TotalSeconds:0.###} s. " +
                    "Check that the server is up and not overloaded, or send fewer inputs per request (--max-batch).",
                    0,
                    e);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The client parses a 200 answer itself and throws what its parser throws (JsonException for a body
                // that is not JSON, ArgumentOutOfRangeException for JSON without "data"): all mean the same to us.
                throw new RemoteEmbeddingException(
                    $"{Endpoint.BaseUrl} answered the remote model '{ModelName}' with a body that is not an OpenAI embeddings response ({e.GetType().Name}: {e.Message}). " +
                    "Check that the URL is the API's base URL (it usually ends with /v1) and that the server speaks OpenAI's embeddings API.",
                    200,
                    e);
            }
        }
    }

    private static bool IsTransient(int status) => status is 429 or >= 500 and <= 599;

    /// <summary>What Retry-After (or OpenAI's retry-after-ms) asks for, else exponential backoff with jitter; never above the endpoint's bound.</summary>
    private TimeSpan RetryDelay(PipelineResponse? response, int attempt)
    {
        TimeSpan? asked = null;
        if (response?.Headers is { } headers)
        {
            if (headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
            {
                asked = TimeSpan.FromMilliseconds(milliseconds);
            }
            else if (headers.TryGetValue("Retry-After", out var after) && after is not null)
            {
                if (double.TryParse(after, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    asked = TimeSpan.FromSeconds(seconds);
                }
                else if (DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    asked = at - DateTimeOffset.UtcNow;
                }
            }
        }

        // Half fixed, half random, so that many clients throttled together do not all come back at the same moment.
        var backoff = Endpoint.FirstRetryDelay * Math.Pow(2, attempt - 1);
        var delay = asked ?? (backoff / 2) + (backoff / 2 * Random.Shared.NextDouble());
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > Endpoint.MaxRetryDelay ? Endpoint.MaxRetryDelay : delay;
    }

    private RemoteEmbeddingException Failure(ClientResultException e, int attempts)
    {
        var url = Endpoint.BaseUrl;
        var detail = Detail(e);
        var message = e.Status switch
        {
            0 => $"Cannot reach {url} for the remote model '{ModelName}' ({detail}). Check the URL (the API's base URL, e.g. http://host:port/v1) and that the server is running.",
            401 or 403 => $"{url} refused the remote model '{ModelName}' with {e.Status} ({detail}). " + (Endpoint.ApiKeyVariable is { } variable
                ? $"Check the API key in the environment variable {variable}."
                : "No API key was sent: add the model again with --api-key-env naming the environment variable that holds the key."),
            404 => $"{url} answered 404 for the model '{Endpoint.Model}' of the remote model '{ModelName}' ({detail}). Check the base URL (it usually ends with /v1) and the remote model id.",
            _ when IsTransient(e.Status) => $"{url} answered {e.Status} to the remote model '{ModelName}'; gave up after {attempts} attempts ({detail}). Try again later, or send fewer requests at once.",
            _ => $"{url} refused a request of the remote model '{ModelName}' with {e.Status}: {detail}",
        };
        return new RemoteEmbeddingException(message, e.Status, e);
    }

    /// <summary>The provider's own words: OpenAI's and Quiver's error.message, TEI's error string, or the body, or the client's message.</summary>
    private static string Detail(ClientResultException e)
    {
        string? body = null;
        try
        {
            body = e.GetRawResponse()?.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            // The body was streamed, not buffered; the client's message is all there is.
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return Condense(e.Message);
        }

        try
        {
            if (JsonNode.Parse(body) is JsonObject { } json && json["error"] is { } error)
            {
                return Condense(error is JsonObject ? error["message"]?.ToString() ?? error.ToJsonString() : error.ToString());
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself says what went wrong.
        }

        return Condense(body);
    }

    private static string Condense(string text)
    {
        var condensed = Whitespace().Replace(text, " ").Trim();
        return condensed.Length <= 300 ? condensed : condensed[..300] + "...";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public void Dispose() => _inner.Dispose();
}
