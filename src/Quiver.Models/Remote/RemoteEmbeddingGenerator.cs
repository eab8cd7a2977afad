using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Internal;

namespace Quiver.Models.Remote;

/// <summary>
/// An OpenAI-compatible embeddings endpoint as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of a known
/// space: batched within the provider's input limit, 429 and 5xx retried, and every answer checked (one finite vector
/// of the space's size per input). The provider tokenises, truncates and pools; no per-input token count exists, so
/// embeddings carry no "tokens" property and usage is what the provider reported (null when it reported none).
/// </summary>
public sealed class RemoteEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly RemoteEmbeddingClient _client;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <param name="endpoint">Where to send the texts.</param>
    /// <param name="space">The space its vectors belong to; its model id is the Quiver model's name, used in messages.</param>
    public RemoteEmbeddingGenerator(RemoteEndpoint endpoint, EmbeddingSpace space)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(space);
        Space = space;
        _client = new RemoteEmbeddingClient(space.ModelId, endpoint);
        _metadata = new EmbeddingGeneratorMetadata("openai-compatible", endpoint.BaseUrl, endpoint.Model, space.Dimensions);
    }

    public EmbeddingSpace Space { get; }

    public RemoteEndpoint Endpoint => _client.Endpoint;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != Space.Dimensions)
        {
            throw new QuiverException(
                $"The remote model {Space.ModelId} gives {Space.Dimensions}-dimensional vectors and cannot give {dimensions}. Leave Dimensions unset.");
        }

        var texts = values as IReadOnlyList<string> ?? values.ToList();
        var (vectors, tokens) = await _client.EmbedAsync(texts, Space.Dimensions, cancellationToken);
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Count);
        var now = DateTimeOffset.UtcNow;
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = Space.ModelId, CreatedAt = now });
        }

        if (tokens is { } used)
        {
            result.Usage = new UsageDetails { InputTokenCount = used, TotalTokenCount = used };
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        GeneratorServices.Get(this, serviceType, serviceKey, _metadata, Space);

    public void Dispose() => _client.Dispose();
}
