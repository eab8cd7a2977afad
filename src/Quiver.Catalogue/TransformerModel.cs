using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Onnx;
using Quiver.Models.Pooling;

namespace Quiver.Catalogue;

/// <summary>An installed transformer text model: its manifest and its folder in the Hugging Face layout.</summary>
public sealed class TransformerModel
{
    public const string Kind = "transformer";

    internal TransformerModel(ModelManifest manifest, TransformerModelFolder folder)
    {
        Manifest = manifest;
        Folder = folder;
    }

    public ModelManifest Manifest { get; }

    public TransformerModelFolder Folder { get; }

    public string Name => Manifest.Name;

    public TransformerEncoder CreateEncoder(TransformerEncoderOptions? options = null) => TransformerEncoder.Open(Folder, options);

    /// <summary>
    /// A generator for texts in <paramref name="role"/>: the model's own prompt for that role is put before each
    /// text unless <paramref name="options"/> sets a prompt (or null: no role, no prompt).
    /// </summary>
    public TextEmbeddingGenerator CreateGenerator(TransformerEncoderOptions? options = null, TextRole? role = null) =>
        new(CreateTextEncoder(options, role));

    /// <summary>An encoder for texts in <paramref name="role"/>, prompted as <see cref="CreateGenerator"/> says.</summary>
    public TransformerTextEncoder CreateTextEncoder(TransformerEncoderOptions? options = null, TextRole? role = null)
    {
        options ??= new TransformerEncoderOptions();
        if (options.Prompt is null && role is { } r)
        {
            options = options with { Prompt = Folder.PromptFor(r) };
        }

        var encoder = CreateEncoder(options);
        try
        {
            return new TransformerTextEncoder(encoder, Space(encoder));
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The space of the vectors an encoder of this model gives: pooling, normalisation, Matryoshka truncation and a
    /// prompt of the caller's own all change the vectors, so all are part of the identity. The model's own named
    /// prompts (query, document) are how the space is meant to be used: they are recorded in the space instead.
    /// </summary>
    public EmbeddingSpace Space(TransformerEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var revision = Manifest.Revision[..16];
        if (encoder.Dimensions < encoder.ModelDimensions)
        {
            revision += $"-d{encoder.Dimensions}";
        }

        if (encoder.Options.Prompt is { Length: > 0 } prompt && !Folder.Prompts.Values.Contains(prompt))
        {
            revision += "-p" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(prompt)))[..8];
        }

        return new EmbeddingSpace(new ModelReference(Name, encoder.OutputIsPooled ? PooledName : PoolingName(encoder.Pooling), revision), encoder.Dimensions, DistanceMetric.Cosine, encoder.Normalize)
        {
            DocumentPrompt = Folder.PromptFor(TextRole.Document),
            QueryPrompt = Folder.PromptFor(TextRole.Query),
        };
    }

    /// <summary>The pooling name of a model whose graph pools itself.</summary>
    public const string PooledName = "pooled";

    public static string PoolingName(PoolingMode pooling) => pooling switch
    {
        PoolingMode.LastToken => "last-token",
        _ => pooling.ToString().ToLowerInvariant(),
    };

    public static PoolingMode? ParsePooling(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or PooledName => null,
        "mean" => PoolingMode.Mean,
        "cls" => PoolingMode.Cls,
        "max" => PoolingMode.Max,
        "last-token" or "lasttoken" or "last_token" => PoolingMode.LastToken,
        _ => throw new Core.QuiverException($"'{name}' is not a transformer pooling; use mean, cls, max or last-token."),
    };
}
