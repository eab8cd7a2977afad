using Microsoft.Extensions.AI;
using Quiver.Core.Spaces;
using Quiver.Models.Caching;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Server.Http;

namespace Quiver.Server.Embeddings;

/// <summary>
/// An installed text model opened for serving: transformers through their <see cref="TransformerEncoder"/> (so one
/// call can take texts or token ids and a per-call truncation policy), word-vector and remote models through their
/// generator.
/// </summary>
internal sealed class ServedModel : IDisposable
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly TransformerEncoder? _encoder;

    private ServedModel(ModelManifest manifest, IEmbeddingGenerator<string, Embedding<float>> generator, int cacheEntries)
    {
        Manifest = manifest;
        _generator = generator;
        _encoder = generator.GetService<TransformerEncoder>();
        Space = generator.GetService<EmbeddingSpace>() ?? throw new InvalidOperationException($"The generator of {manifest.Name} does not say its embedding space.");
        Cache = cacheEntries > 0 ? new EmbeddingMemoryCache(Space, cacheEntries) : null;
    }

    /// <summary>Embeddings of texts seen before (null when the cache is off).</summary>
    public EmbeddingMemoryCache? Cache { get; }

    public ModelManifest Manifest { get; }

    public string Name => Manifest.Name;

    public EmbeddingSpace Space { get; }

    public int Dimensions => Space.Dimensions;

    /// <summary>Whether the model's vectors are unit length (so a shortened vector is renormalised).</summary>
    public bool Normalized => _encoder?.Normalize ?? Space.Normalized;

    /// <summary>The longest sequence the model reads, in tokens; null when it has no limit (word vectors).</summary>
    public int? MaxTokens => _encoder?.MaxLength;

    public bool AcceptsTokenIds => _encoder is not null;

    /// <summary>The prompts the model names (config_sentence_transformers.json); none for word vectors.</summary>
    public IReadOnlyDictionary<string, string> Prompts => _encoder?.Model.Prompts ?? new Dictionary<string, string>();

    /// <summary>The text of the prompt named <paramref name="name"/>; an unknown name is a 400 that lists the model's prompts.</summary>
    public string NamedPrompt(string name, string field) =>
        Prompts.TryGetValue(name, out var prompt)
            ? prompt
            : throw ApiException.BadRequest(
                $"the model '{Name}' has no prompt named '{name}'; " +
                (Prompts.Count == 0 ? "it has no named prompts." : $"its prompts are: {string.Join(", ", Prompts.Keys)}."),
                field);

    /// <summary>The model as a generator, for library code that takes one (context retrieval).</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Generator => _generator;

    public static ServedModel Open(string name, ServerOptions options)
    {
        var manifest = InstalledModels.Manifest(options.Paths, name);
        if (manifest.Kind is not (TransformerModel.Kind or WordVectorModel.Kind or RemoteModel.Kind))
        {
            throw ApiException.BadRequest($"'{name}' is a {manifest.Kind} model; /v1/embeddings serves text models (transformer, word-vectors or remote).", "model");
        }

        var encoderOptions = new TransformerEncoderOptions { Threads = options.Threads, AllowSpinning = options.Spinning, MaxBatchSize = options.Limits.ModelBatchSize };
        var generator = InstalledModels.OpenTextGenerator(options.Paths, name, options: encoderOptions);
        return new ServedModel(manifest, generator, options.Limits.EmbeddingCacheEntries);
    }

    /// <summary>Whether <see cref="Cost"/> counts the model's own tokens (transformers); otherwise every input costs 1.</summary>
    public bool CostsTokens => _encoder is not null;

    /// <summary>
    /// What embedding <paramref name="input"/> costs, for scheduling and the per-request budget: the tokens the model
    /// runs for it (after truncation, every window when chunked), counted by tokenising alone; 1 for models that are
    /// not transformers.
    /// </summary>
    public int Cost(EmbeddingInput input, TruncationPolicy truncation) =>
        _encoder is null ? 1 : input.IsTokens ? _encoder.SequenceTokens(input.TokenIds!, truncation) : _encoder.SequenceTokens(input.Text!, truncation);

    /// <summary>Embeds inputs that are all texts or all token ids, in order.</summary>
    public IReadOnlyList<EmbeddingResult> Embed(IReadOnlyList<EmbeddingInput> inputs, TruncationPolicy truncation, CancellationToken cancellationToken)
    {
        if (_encoder is not null)
        {
            var embedded = inputs.Count > 0 && inputs[0].IsTokens
                ? _encoder.EmbedTokenIds([.. inputs.Select(i => i.TokenIds!)], truncation, cancellationToken)
                : _encoder.Embed([.. inputs.Select(i => i.Text!)], truncation, cancellationToken);
            return [.. embedded.Select(e => new EmbeddingResult(e.Vector, e.Tokens - e.TruncatedTokens, e.TruncatedTokens))];
        }

        if (inputs.Any(i => i.IsTokens))
        {
            throw ApiException.BadRequest($"'{Name}' is a {Manifest.Kind} model and takes text; token-id inputs need a transformer model.", "input");
        }

        var texts = inputs.Select(i => i.Text!).ToList();
        var generated = _generator.GenerateAsync(texts, cancellationToken: cancellationToken).GetAwaiter().GetResult();
        var tokens = Manifest.Kind == RemoteModel.Kind
            ? ShareOfUsage(generated.Usage?.InputTokenCount ?? 0, texts)
            : [.. generated.Select(e => e.AdditionalProperties?.TryGetValue("words", out var words) == true ? Convert.ToInt32(words, System.Globalization.CultureInfo.InvariantCulture) : 0)];
        return [.. generated.Select((e, i) => new EmbeddingResult(e.Vector.ToArray(), tokens[i], 0))];
    }

    /// <summary>
    /// A remote provider reports tokens per request, not per input, so each input gets a share of the total in
    /// proportion to its length (largest remainders rounded up): the shares of one call add up to what the provider
    /// said, exact for a request embedded alone and apportioned when the batcher merged requests. 0 when it said nothing.
    /// </summary>
    private static int[] ShareOfUsage(long total, List<string> texts)
    {
        var shares = new int[texts.Count];
        long length = texts.Sum(t => (long)t.Length);
        if (total <= 0 || length == 0)
        {
            return shares;
        }

        var remainders = new (double Remainder, int Index)[texts.Count];
        long given = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var exact = (double)total * texts[i].Length / length;
            shares[i] = (int)Math.Floor(exact);
            given += shares[i];
            remainders[i] = (exact - shares[i], i);
        }

        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).Take((int)(total - given)))
        {
            shares[index]++;
        }

        return shares;
    }

    public void Dispose() => _generator.Dispose();
}
