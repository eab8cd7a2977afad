using Quiver.Core.Spaces;

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

    public TextUnit Unit => TextUnit.Words;

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

    public void Dispose()
    {
        // Holds no unmanaged resources; the word vectors belong to the model.
    }
}
