using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Onnx;

namespace Quiver.Models;

/// <summary>
/// The one Microsoft.Extensions.AI adapter: any <see cref="ITextEncoder"/> as an
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. Each embedding's AdditionalProperties carry what the encoder
/// reported ("tokens", "truncated_tokens" and "chunks" for token models; "words" and "unknown_words" for word
/// models) and usage counts the units read. <see cref="EmbeddingGenerationOptions.Dimensions"/> asks for fewer
/// dimensions where the encoder allows it; the <see cref="TruncationOption"/> property sets one call's truncation.
/// GetService answers the <see cref="EmbeddingSpace"/>, the metadata, this adapter and the encoder.
/// </summary>
public sealed class TextEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The option key (in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>) that sets the truncation policy of one call.</summary>
    public const string TruncationOption = "truncation";

    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly bool _ownsEncoder;

    public TextEmbeddingGenerator(ITextEncoder encoder, bool ownsEncoder = true)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Encoder = encoder;
        _ownsEncoder = ownsEncoder;
        _metadata = new EmbeddingGeneratorMetadata("quiver", null, encoder.Space.ModelId, encoder.Space.Dimensions);
    }

    public ITextEncoder Encoder { get; }

    public EmbeddingSpace Space => Encoder.Space;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? Read(values, cancellationToken);
        var call = new TextEncodeOptions { Truncation = TruncationOverride(options), Dimensions = options?.Dimensions };

        // Local models compute on the calling thread; run them off it so async callers are not blocked.
        var encoded = await Task.Run(async () => await Encoder.EncodeAsync(texts, call, cancellationToken), cancellationToken);
        var result = new GeneratedEmbeddings<Embedding<float>>(encoded.Count);
        var now = DateTimeOffset.UtcNow;
        long units = 0;
        foreach (var e in encoded)
        {
            units += e.ReadTokens;
            result.Add(new Embedding<float>(e.Vector) { ModelId = Space.ModelId, CreatedAt = now, AdditionalProperties = Properties(e) });
        }

        result.Usage = new UsageDetails { InputTokenCount = units, TotalTokenCount = units };
        return result;
    }

    // A lazy sequence is read with the token checked per value, so cancelling stops a producer mid-way.
    private static List<string> Read(IEnumerable<string> values, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            texts.Add(value);
        }

        return texts;
    }

    private AdditionalPropertiesDictionary Properties(EncodedText e) => Encoder.Unit == TextUnit.Words
        ? new() { ["words"] = e.Tokens, ["unknown_words"] = e.UnknownWords.Count }
        : new() { ["tokens"] = e.Tokens, ["truncated_tokens"] = e.TruncatedTokens, ["chunks"] = e.Chunks };

    private static TruncationPolicy? TruncationOverride(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(TruncationOption, out var value) is not true || value is null ? null
        : value is TruncationPolicy policy ? policy
        : Enum.TryParse<TruncationPolicy>(value.ToString(), ignoreCase: true, out var parsed) ? parsed
        : throw new QuiverException($"'{value}' is not a truncation policy; use truncate, chunk or error.");

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType == typeof(EmbeddingSpace) ? Space
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(Encoder) ? Encoder
            : null;
    }

    public void Dispose()
    {
        if (_ownsEncoder)
        {
            Encoder.Dispose();
        }
    }
}
