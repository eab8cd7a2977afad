using Quiver.Core;
using Quiver.Core.Spaces;

namespace Quiver.Models.Remote;

/// <summary>
/// An OpenAI-compatible embeddings endpoint of a known space as an <see cref="ITextEncoder"/>: batched within the
/// provider's input limit, 429 and 5xx retried, and every answer checked (one finite vector of the space's size per
/// input). The provider tokenises, truncates and pools, so nothing can be costed before the call and each input's
/// tokens are its share of what the provider reported for the call.
/// </summary>
public sealed class RemoteTextEncoder : ITextEncoder
{
    private readonly RemoteEmbeddingClient _client;

    /// <param name="endpoint">Where to send the texts.</param>
    /// <param name="space">The space its vectors belong to; its model id is the Quiver model's name, used in messages.</param>
    public RemoteTextEncoder(RemoteEndpoint endpoint, EmbeddingSpace space)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(space);
        Space = space;
        _client = new RemoteEmbeddingClient(space.ModelId, endpoint);
    }

    public EmbeddingSpace Space { get; }

    public RemoteEndpoint Endpoint => _client.Endpoint;

    public TextUnit Unit => TextUnit.Tokens;

    public async ValueTask<IReadOnlyList<EncodedText>> EncodeAsync(IReadOnlyList<string> texts, TextEncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (options?.Dimensions is { } dimensions && dimensions != Space.Dimensions)
        {
            throw new QuiverException(
                $"The remote model {Space.ModelId} gives {Space.Dimensions}-dimensional vectors and cannot give {dimensions}. Leave Dimensions unset.");
        }

        var (vectors, tokens) = await _client.EmbedAsync(texts, Space.Dimensions, cancellationToken);
        var shares = ShareOfUsage(tokens ?? 0, texts);
        return [.. vectors.Select((v, i) => new EncodedText(v, shares[i]))];
    }

    /// <summary>
    /// A remote provider reports tokens per request, not per input, so each input gets a share of the total in
    /// proportion to its length (largest remainders rounded up): the shares of one call add up to what the provider
    /// said, exact for a request embedded alone and apportioned when a host merged requests. 0 when it said nothing.
    /// </summary>
    internal static int[] ShareOfUsage(long total, IReadOnlyList<string> texts)
    {
        var shares = new int[texts.Count];
        long length = texts.Sum(t => (long)t.Length);
        if (total <= 0 || length == 0)
        {
            return shares;
        }

        var remainders = new (double Remainder, int Index)[texts.Count];
        long given = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var exact = (double)total * texts[i].Length / length;
            shares[i] = (int)Math.Floor(exact);
            given += shares[i];
            remainders[i] = (exact - shares[i], i);
        }

        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).Take((int)(total - given)))
        {
            shares[index]++;
        }

        return shares;
    }

    public void Dispose() => _client.Dispose();
}
