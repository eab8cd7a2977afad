using System.Numerics.Tensors;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Tokenization;

namespace Quiver.Training.Documents;

/// <summary>
/// A Doc2Vec model as a text encoder: each text is tokenised (lower-cased words and punctuation, as the model was
/// trained), its vector inferred with a fixed seed (so a text always gets the same vector) and scaled to unit length.
/// Inference is a few passes over the text's words, so the call completes on the caller's thread.
/// </summary>
public sealed class Doc2VecTextEncoder : ITextEncoder
{
    private readonly WordTokenizer _tokenizer;

    /// <param name="revision">Identifies the trained weights, so vectors from another training are not mixed with these.</param>
    public Doc2VecTextEncoder(Doc2VecModel model, string modelId, string revision, bool lowercase = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Space = new EmbeddingSpace(new ModelReference(modelId, null, revision), model.Dimensions, DistanceMetric.Cosine, Normalized: true);
        _tokenizer = new WordTokenizer(new WordTokenizerOptions { Lowercase = lowercase });
    }

    public Doc2VecModel Model { get; }

    public EmbeddingSpace Space { get; }

    public TextUnit Unit => TextUnit.Words;

    public ValueTask<IReadOnlyList<EncodedText>> EncodeAsync(IReadOnlyList<string> texts, TextEncodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        Matryoshka.Requested(Space, options, shortens: false);
        var results = new EncodedText[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var words = _tokenizer.Tokenize(texts[i]).Select(t => t.Text).ToList();
            var vector = Model.Infer(words);
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            results[i] = new EncodedText(vector, words.Count);
        }

        return ValueTask.FromResult<IReadOnlyList<EncodedText>>(results);
    }

    public void Dispose()
    {
        // Holds no unmanaged resources.
    }
}
