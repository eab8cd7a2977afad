using Quiver.Core;

namespace Quiver.Models.Remote;

/// <summary>
/// An OpenAI-compatible embeddings endpoint (OpenAI, Azure OpenAI's v1 API, Ollama, vLLM, text-embeddings-inference,
/// another <c>quiver serve</c>) and how Quiver calls it: in batches of at most <see cref="MaxBatch"/> inputs, retrying
/// 429 and 5xx answers up to <see cref="MaxAttempts"/> calls in all.
/// </summary>
public sealed record RemoteEndpoint
{
    /// <summary>OpenAI's limit on inputs per embeddings request.</summary>
    public const int DefaultMaxBatch = 2048;

    /// <summary>The API's base URL, to which "/embeddings" is appended, e.g. https://api.openai.com/v1.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The provider's model id, sent as "model" (e.g. text-embedding-3-small, nomic-embed-text).</summary>
    public required string Model { get; init; }

    /// <summary>The environment variable that holds the API key; null sends no real key (local servers need none).</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>The most inputs in one request; longer lists are split into several requests.</summary>
    public int MaxBatch { get; init; } = DefaultMaxBatch;

    /// <summary>Calls made for one request before a 429 or 5xx answer is reported as a failure (the first call included).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait before the first retry when the provider sends no Retry-After; it doubles on each retry.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two calls, whatever Retry-After asks, so that a caller is never held for hours.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one call may take before it is abandoned (the OpenAI client's own default).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>An endpoint from the user's words, checked: an absolute http(s) URL (a trailing '/' dropped) and a model id.</summary>
    public static RemoteEndpoint Create(string baseUrl, string model, string? apiKeyVariable = null, int maxBatch = DefaultMaxBatch)
    {
        if (!Uri.TryCreate(baseUrl?.TrimEnd('/'), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new QuiverException($"'{baseUrl}' is not an http(s) URL. Pass the API's base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:6333/v1.");
        }

        if (string.IsNullOrWhiteSpace(model))
        {
            throw new QuiverException("The remote model id is empty. Pass the provider's model id, e.g. --remote-model text-embedding-3-small.");
        }

        if (apiKeyVariable is not null && (apiKeyVariable.Length == 0 || !apiKeyVariable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            // Not echoed: a value that is not a variable name is most often the key itself.
            throw new QuiverException("The API key variable is not an environment variable name (ASCII letters, digits and '_'). Pass the variable's NAME (e.g. --api-key-env OPENAI_API_KEY), never the key itself.");
        }

        if (maxBatch < 1)
        {
            throw new QuiverException($"The batch size {maxBatch} is not positive. Pass --max-batch 1 or more (OpenAI takes up to {DefaultMaxBatch}).");
        }

        return new RemoteEndpoint { BaseUrl = url, Model = model, ApiKeyVariable = apiKeyVariable, MaxBatch = maxBatch };
    }
}
