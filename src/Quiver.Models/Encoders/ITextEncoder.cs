using System.Collections.ObjectModel;
using Quiver.Core.Spaces;
using Quiver.Core.Text;
using Quiver.Models.Onnx;

namespace Quiver.Models;

/// <summary>
/// A text model of any kind (transformer, word vectors, remote endpoint, Doc2Vec) as one contract: its space, its
/// limits and prompts, what an input costs before it runs, and a batch call that returns typed results in input
/// order. Kinds that compute on the caller's thread complete the returned task synchronously; remote ones await.
/// <see cref="TextEmbeddingGenerator"/> adapts any of them to Microsoft.Extensions.AI.
/// </summary>
/// <remarks>
/// A kind states its space, unit and batch call; the rest has defaults for a model that reads whole texts with no
/// token limit, prompts or vocabulary of ids (word vectors, Doc2Vec, a remote endpoint): no limit, no prompt, every
/// input costs 1, token-id inputs refused, no token counter. A transformer, or a wrapper that forwards to another
/// encoder, overrides them all.
/// </remarks>
public interface ITextEncoder : IDisposable
{
    /// <summary>The space of the vectors it returns.</summary>
    EmbeddingSpace Space { get; }

    /// <summary>The longest sequence the model reads, in tokens with special tokens; null when it has no limit.</summary>
    int? MaxTokens => null;

    /// <summary>What <see cref="EncodedText.Tokens"/> counts.</summary>
    TextUnit Unit { get; }

    /// <summary>The text put before every input by this encoder (a model's prompt or the caller's own); null when none.</summary>
    string? Prompt => null;

    /// <summary>The prompts the model names (query, document, ...); empty for kinds without prompts.</summary>
    IReadOnlyDictionary<string, string> Prompts => ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Whether inputs may be given as token ids of the model's vocabulary (<see cref="EncodeTokenIdsAsync"/>).</summary>
    bool AcceptsTokenIds => false;

    /// <summary>Whether <see cref="Cost(string, TruncationPolicy)"/> counts the model's tokens; otherwise every input costs 1.</summary>
    bool CostsTokens => false;

    /// <summary>
    /// What embedding <paramref name="text"/> costs, for scheduling and budgets, found without running the model: the
    /// tokens the model runs for it under <paramref name="truncation"/> (every window when chunked), or 1.
    /// </summary>
    int Cost(string text, TruncationPolicy truncation) => 1;

    /// <summary>What <see cref="Cost(string, TruncationPolicy)"/> says for an input given as token ids.</summary>
    int Cost(IReadOnlyList<int> tokenIds, TruncationPolicy truncation) => 1;

    /// <summary>Embeds <paramref name="texts"/>, in order.</summary>
    ValueTask<IReadOnlyList<EncodedText>> EncodeAsync(IReadOnlyList<string> texts, TextEncodeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Embeds inputs given as token ids of the model's vocabulary (the content only: the model's special tokens are
    /// added, as for text). Kinds without token ids (<see cref="AcceptsTokenIds"/> false) refuse the call.
    /// </summary>
    ValueTask<IReadOnlyList<EncodedText>> EncodeTokenIdsAsync(IReadOnlyList<IReadOnlyList<int>> tokenIds, TextEncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Space.ModelId} reads text and has no vocabulary of token ids; token-id inputs need a transformer model.");

    /// <summary>
    /// Counts a text in the model's own tokens (its prompt included) against the most it reads less its special
    /// tokens, so a chunker can cut text to fit; null when the model has no token limit (chunkers count words then,
    /// see <see cref="Tokenization.EncoderTokenCounter.For(ITextEncoder, int)"/>).
    /// </summary>
    ITokenCounter? TokenCounter => null;
}
