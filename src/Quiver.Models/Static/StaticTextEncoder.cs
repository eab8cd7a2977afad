using Quiver.Core.Spaces;
using Quiver.Models.Onnx;

namespace Quiver.Models.Static;

/// <summary>
/// Sentence vectors from word vectors (mean or SIF) as an <see cref="ITextEncoder"/>: counts words and reports the
/// unknown ones; a text with no known word fails the call with <see cref="NoKnownWordsException"/>. Pooling a few
/// word vectors is quick, so the call completes on the caller's thread.
/// </summary>
public sealed class StaticTextEncoder(StaticEmbedder embedder, EmbeddingSpace space) : ITextEncoder
{
    public StaticEmbedder Embedder { get; } = embedder ?? throw new ArgumentNullException(nameof(embedder));

    public EmbeddingSpace Space { get; } = space ?? throw new ArgumentNullException(nameof(space));

    public int? MaxTokens => null;

    public TextUnit Unit => TextUnit.Words;

    public string? Prompt => null;

    public IReadOnlyDictionary<string, string> Prompts { get; } = new Dictionary<string, string>();

    public bool AcceptsTokenIds => false;

    public bool CostsTokens => false;

    public int Cost(string text, TruncationPolicy truncation) => 1;

    public int Cost(IReadOnlyList<int> tokenIds, TruncationPolicy truncation) => 1;

    public ValueTask<IReadOnlyList<EncodedText>> EncodeAsync(IReadOnlyList<string> texts, TextEncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        Matryoshka.Requested(Space, options, shortens: false);
        var results = new EncodedText[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var embedding = Embedder.Embed(texts[i]);
            results[i] = new EncodedText(embedding.Vector, embedding.WordCount) { UnknownWords = embedding.Unknown };
        }

        return ValueTask.FromResult<IReadOnlyList<EncodedText>>(results);
    }

    public ValueTask<IReadOnlyList<EncodedText>> EncodeTokenIdsAsync(IReadOnlyList<IReadOnlyList<int>> tokenIds, TextEncodeOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Space.ModelId} is a word-vector model and reads text; token-id inputs need a transformer model.");

    public void Dispose()
    {
        // Holds no unmanaged resources; the word vectors belong to the model.
    }
}
