using Microsoft.Extensions.AI;
using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Server.Http;

namespace Quiver.Server.Embeddings;

/// <summary>
/// An installed text model of any kind opened for serving: its <see cref="ITextEncoder"/> (texts or token ids, a
/// per-call truncation policy, typed results) with the variant (pooling) it was opened with, and the one generator
/// adapter over the encoder for library code that takes a generator. Its cache belongs to the
/// <see cref="EmbeddingBatcher"/>, which every route embeds through.
/// </summary>
internal sealed class ServedModel : IDisposable
{
    private ServedModel(ModelManifest manifest, ITextEncoder encoder)
    {
        Manifest = manifest;
        Encoder = encoder;
        Generator = new TextEmbeddingGenerator(encoder, ownsEncoder: false);
    }

    public ModelManifest Manifest { get; }

    public ITextEncoder Encoder { get; }

    public string Name => Manifest.Name;

    public EmbeddingSpace Space => Encoder.Space;

    public int Dimensions => Space.Dimensions;

    /// <summary>Whether the model's vectors are unit length (so a shortened vector is renormalised).</summary>
    public bool Normalized => Space.Normalized;

    /// <summary>The longest sequence the model reads, in tokens; null when it has no limit (word vectors).</summary>
    public int? MaxTokens => Encoder.MaxTokens;

    public bool AcceptsTokenIds => Encoder.AcceptsTokenIds;

    /// <summary>The prompts the model names (config_sentence_transformers.json); none for other kinds.</summary>
    public IReadOnlyDictionary<string, string> Prompts => Encoder.Prompts;

    /// <summary>The text of the prompt named <paramref name="name"/>; an unknown name is a 400 that lists the model's prompts.</summary>
    public string NamedPrompt(string name, string field) =>
        Prompts.TryGetValue(name, out var prompt)
            ? prompt
            : throw ApiException.BadRequest(
                $"the model '{Name}' has no prompt named '{name}'; " +
                (Prompts.Count == 0 ? "it has no named prompts." : $"its prompts are: {string.Join(", ", Prompts.Keys)}."),
                field);

    /// <summary>The model as a generator, for library code that takes one (re-embedding).</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Generator { get; }

    /// <summary>
    /// Opens the installed model <paramref name="name"/> with the <paramref name="variant"/> a collection's space
    /// names (its pooling, as <see cref="CollectionEncoders"/> opens it), or the model's own when null.
    /// </summary>
    public static ServedModel Open(string name, string? variant, ServerOptions options)
    {
        var manifest = InstalledModels.Manifest(options.Paths, name);
        if (!ModelKinds.Of(manifest).OpensAsText)
        {
            throw ApiException.BadRequest(
                $"'{name}' is a {manifest.Kind} model; /v1/embeddings serves text models ({string.Join(", ", ModelKinds.All.Where(k => k.OpensAsText))}).", "model");
        }

        var encoderOptions = new TransformerEncoderOptions { Threads = options.Threads, AllowSpinning = options.Spinning, MaxBatchSize = options.Limits.ModelBatchSize };
        return new ServedModel(manifest, InstalledModels.OpenTextEncoder(options.Paths, name, pooling: variant, options: encoderOptions));
    }

    /// <summary>Whether <see cref="Cost"/> counts the model's own tokens (transformers); otherwise every input costs 1.</summary>
    public bool CostsTokens => Encoder.CostsTokens;

    /// <summary>
    /// What embedding <paramref name="input"/> costs, for scheduling and the per-request budget: the tokens the model
    /// runs for it (after truncation, every window when chunked), counted by tokenising alone; 1 for kinds that
    /// cannot count before running.
    /// </summary>
    public int Cost(EmbeddingInput input, TruncationPolicy truncation) =>
        input.IsTokens ? Encoder.Cost(input.TokenIds!, truncation) : Encoder.Cost(input.Text!, truncation);

    /// <summary>Embeds inputs that are all texts or all token ids, in order.</summary>
    public async Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(IReadOnlyList<EmbeddingInput> inputs, TruncationPolicy truncation, CancellationToken cancellationToken)
    {
        var options = new TextEncodeOptions { Truncation = truncation };
        IReadOnlyList<EncodedText> encoded;
        if (inputs.Count > 0 && inputs[0].IsTokens)
        {
            if (!AcceptsTokenIds)
            {
                throw ApiException.BadRequest($"'{Name}' is a {Manifest.Kind} model and takes text; token-id inputs need a transformer model.", "input");
            }

            encoded = await Encoder.EncodeTokenIdsAsync([.. inputs.Select(i => i.TokenIds!)], options, cancellationToken);
        }
        else
        {
            encoded = await Encoder.EncodeAsync([.. inputs.Select(i => i.Text!)], options, cancellationToken);
        }

        return [.. encoded.Select(e => new EmbeddingResult(e.Vector, e.ReadTokens, e.TruncatedTokens))];
    }

    public void Dispose() => Encoder.Dispose();
}
