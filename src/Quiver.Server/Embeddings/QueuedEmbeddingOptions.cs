using Microsoft.Extensions.AI;
using Quiver.Models;
using Quiver.Models.Onnx;

namespace Quiver.Server.Embeddings;

/// <summary>
/// One batcher call through the model's cache: its truncation, which the cache keys on (as the
/// <see cref="TextEmbeddingGenerator.TruncationOption"/> property, so another policy is another entry), and the cost of
/// each text, counted once before the cache was asked, which the queue schedules by and the key leaves out.
/// </summary>
internal sealed class QueuedEmbeddingOptions : EmbeddingGenerationOptions
{
    public QueuedEmbeddingOptions(TruncationPolicy truncation, IReadOnlyDictionary<string, int> costs)
    {
        Truncation = truncation;
        Costs = costs;
        AdditionalProperties = new() { [TextEmbeddingGenerator.TruncationOption] = truncation.ToString() };
    }

    private QueuedEmbeddingOptions(QueuedEmbeddingOptions other)
        : base(other)
    {
        Truncation = other.Truncation;
        Costs = other.Costs;
    }

    public TruncationPolicy Truncation { get; }

    public IReadOnlyDictionary<string, int> Costs { get; }

    public override EmbeddingGenerationOptions Clone() => new QueuedEmbeddingOptions(this);
}
