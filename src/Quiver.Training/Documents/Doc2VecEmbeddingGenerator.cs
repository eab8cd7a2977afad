using Microsoft.Extensions.AI;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models.Tokenization;

namespace Quiver.Training.Documents;

/// <summary>
/// A Doc2Vec model as a text encoder: each text is tokenised (lower-cased words and punctuation, as the model was
/// trained), its vector inferred with a fixed seed (so a text always gets the same vector) and scaled to unit length.
/// </summary>
public sealed class Doc2VecEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly WordTokenizer _tokenizer;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <param name="revision">Identifies the trained weights, so vectors from another training are not mixed with these.</param>
    public Doc2VecEmbeddingGenerator(Doc2VecModel model, string modelId, string revision, bool lowercase = true)
    {
        Model = model;
        Space = new EmbeddingSpace(new ModelReference(modelId, null, revision), model.Dimensions, DistanceMetric.Cosine, Normalized: true);
        _tokenizer = new WordTokenizer(new WordTokenizerOptions { Lowercase = lowercase });
        _metadata = new EmbeddingGeneratorMetadata("quiver", null, modelId, model.Dimensions);
    }

    public Doc2VecModel Model { get; }

    public EmbeddingSpace Space { get; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        long tokens = 0;
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var words = _tokenizer.Tokenize(value).Select(t => t.Text).ToList();
            tokens += words.Count;
            var vector = Model.Infer(words);
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
            }

            result.Add(new Embedding<float>(vector) { ModelId = Space.ModelId, CreatedAt = DateTimeOffset.UtcNow });
        }

        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType == typeof(EmbeddingSpace) ? Space
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // Holds no unmanaged resources.
    }
}
