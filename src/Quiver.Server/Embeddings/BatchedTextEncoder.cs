using Quiver.Core.Spaces;
using Quiver.Core.Text;
using Quiver.Models;
using Quiver.Models.Onnx;

namespace Quiver.Server.Embeddings;

/// <summary>
/// A served model's encoder seen through the server's <see cref="EmbeddingBatcher"/>: library code that takes an
/// encoder (or, through <see cref="TextEmbeddingGenerator"/>, a generator) gets the same costing, fair queueing,
/// merged model calls, cache and deadline as the embeddings route. A <paramref name="background"/> encoder does the
/// server's own work (re-embedding), to which the per-request budget and deadline do not apply.
/// </summary>
internal sealed class BatchedTextEncoder(EmbeddingBatcher batcher, ServedModel model, TruncationPolicy truncation, bool background = false) : ITextEncoder
{
    public EmbeddingSpace Space => model.Space;

    public int? MaxTokens => model.Encoder.MaxTokens;

    public TextUnit Unit => model.Encoder.Unit;

    public string? Prompt => model.Encoder.Prompt;

    public IReadOnlyDictionary<string, string> Prompts => model.Encoder.Prompts;

    public bool AcceptsTokenIds => model.Encoder.AcceptsTokenIds;

    public bool CostsTokens => model.Encoder.CostsTokens;

    public ITokenCounter? TokenCounter => model.Encoder.TokenCounter;

    public int Cost(string text, TruncationPolicy truncation) => model.Encoder.Cost(text, truncation);

    public int Cost(IReadOnlyList<int> tokenIds, TruncationPolicy truncation) => model.Encoder.Cost(tokenIds, truncation);

    public ValueTask<IReadOnlyList<EncodedText>> EncodeAsync(IReadOnlyList<string> texts, TextEncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Encode([.. texts.Select(t => new EmbeddingInput(t, null))], options, cancellationToken);

    public ValueTask<IReadOnlyList<EncodedText>> EncodeTokenIdsAsync(IReadOnlyList<IReadOnlyList<int>> tokenIds, TextEncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        Encode([.. tokenIds.Select(ids => new EmbeddingInput(null, ids))], options, cancellationToken);

    private async ValueTask<IReadOnlyList<EncodedText>> Encode(IReadOnlyList<EmbeddingInput> inputs, TextEncodeOptions? options, CancellationToken cancellationToken)
    {
        var dimensions = Matryoshka.Requested(Space, options, shortens: true);
        var results = await batcher.Embed(model, inputs, options?.Truncation ?? truncation, cancellationToken, background);
        return [.. results.Select(r => new EncodedText(Matryoshka.Shorten(r.Vector, dimensions, Space.Normalized), r.Tokens + r.TruncatedTokens, r.TruncatedTokens))];
    }

    public void Dispose()
    {
        // The model belongs to the server's ServedModels.
    }
}
