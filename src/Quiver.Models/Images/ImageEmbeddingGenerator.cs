using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Internal;

namespace Quiver.Models.Images;

/// <summary>
/// An image encoder as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over <see cref="DataContent"/>
/// (image bytes and media type; its Name names the image in errors). Each embedding's AdditionalProperties carry the
/// image's "width", "height" and "format". Its <see cref="EmbeddingSpace"/> is the image model's own, so its
/// vectors are refused by text collections (and text vectors by image collections) unless a joint model declares
/// one space for both.
/// </summary>
public sealed class ImageEmbeddingGenerator : IEmbeddingGenerator<DataContent, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly bool _ownsEncoder;

    public ImageEmbeddingGenerator(ImageEncoder encoder, EmbeddingSpace space, bool ownsEncoder = true)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(space);
        if (space.Dimensions != encoder.Dimensions)
        {
            throw new ArgumentException($"The space {space} has {space.Dimensions} dimensions but the encoder returns {encoder.Dimensions}.", nameof(space));
        }

        Encoder = encoder;
        Space = space;
        _ownsEncoder = ownsEncoder;
        _metadata = new EmbeddingGeneratorMetadata("quiver", null, space.ModelId, space.Dimensions);
    }

    public ImageEncoder Encoder { get; }

    public EmbeddingSpace Space { get; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<DataContent> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != Space.Dimensions)
        {
            throw new QuiverException($"{Space.ModelId} gives {Space.Dimensions}-dimensional vectors and cannot give {dimensions}. Leave Dimensions unset.");
        }

        var images = values.Select((v, i) => (v.Data, v.Name ?? $"image {i}")).ToList();
        return Task.Run(
            () =>
            {
                var embeddings = Encoder.Embed(images, cancellationToken);
                var result = new GeneratedEmbeddings<Embedding<float>>(embeddings.Count);
                foreach (var e in embeddings)
                {
                    result.Add(new Embedding<float>(e.Vector)
                    {
                        ModelId = Space.ModelId,
                        CreatedAt = DateTimeOffset.UtcNow,
                        AdditionalProperties = new AdditionalPropertiesDictionary
                        {
                            ["width"] = e.Info.Width,
                            ["height"] = e.Info.Height,
                            ["format"] = e.Info.Format,
                        },
                    });
                }

                result.Usage = new UsageDetails { InputTokenCount = embeddings.Count, TotalTokenCount = embeddings.Count };
                return result;
            },
            cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ImageEncoder) ? Encoder : GeneratorServices.Get(this, serviceType, serviceKey, _metadata, Space);

    public void Dispose()
    {
        if (_ownsEncoder)
        {
            Encoder.Dispose();
        }
    }
}
