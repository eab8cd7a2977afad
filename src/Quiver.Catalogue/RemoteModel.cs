using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models;
using Quiver.Models.Onnx;
using Quiver.Models.Remote;

namespace Quiver.Catalogue;

/// <summary>
/// An installed remote model: an OpenAI-compatible embeddings endpoint registered under a Quiver name
/// (<c>quiver models add</c>). Its folder holds model.json and remote.json (the URL, the provider's model id, the NAME of
/// the environment variable with the key, the batch size, and whether its vectors are unit length).
/// </summary>
public sealed class RemoteModel
{
    public const string Kind = "remote";
    public const string SettingsFile = "remote.json";

    private RemoteModel(ModelManifest manifest, RemoteModelSettings settings)
    {
        Manifest = manifest;
        Normalized = settings.Normalized;
        Endpoint = new RemoteEndpoint
        {
            BaseUrl = settings.BaseUrl,
            Model = settings.RemoteModel,
            ApiKeyVariable = settings.ApiKeyVariable,
            MaxBatch = settings.MaxBatch,
        };
    }

    public ModelManifest Manifest { get; }

    public string Name => Manifest.Name;

    public RemoteEndpoint Endpoint { get; }

    /// <summary>Whether the provider's vectors were unit length when the model was added.</summary>
    public bool Normalized { get; }

    /// <summary>The space of this model's vectors: named after the Quiver model, cosine, as normalised as the provider gives them.</summary>
    public EmbeddingSpace Space => new(new ModelReference(Name, null, Manifest.Revision[..16]), Manifest.Dimensions, DistanceMetric.Cosine, Normalized);

    /// <summary>
    /// The revision of a remote model. The provider's weights cannot be hashed from here, so what names them stands in
    /// for their content: a collection filled through one URL and model id at one size refuses vectors from another.
    /// </summary>
    public static string ComputeRevision(RemoteEndpoint endpoint, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{endpoint.BaseUrl}\n{endpoint.Model}\n{dimensions}")));
    }

    /// <summary>Loads an installed remote model.</summary>
    public static RemoteModel Open(QuiverPaths paths, string name)
    {
        var manifest = InstalledModels.Manifest(paths, name);
        ModelKinds.Require(manifest, ModelKinds.Remote, $"this needs a remote model (quiver models add {name} --openai-base-url URL --remote-model ID).");
        return Load(Path.Combine(paths.Models, name), manifest);
    }

    internal static RemoteModel Load(string folder, ModelManifest manifest)
    {
        var name = manifest.Name;
        var path = Path.Combine(folder, SettingsFile);
        try
        {
            var settings = JsonSerializer.Deserialize<RemoteModelSettings>(File.ReadAllText(path), InstalledModels.Json)
                ?? throw new ModelFolderException(path, "is empty; expected the endpoint's base_url, remote_model and max_batch.");
            return new RemoteModel(manifest, settings);
        }
        catch (Exception e) when (e is JsonException or FileNotFoundException)
        {
            throw new ModelFolderException(path, $"cannot be read ({e.Message}). Add the model again with quiver models add {name} --force.", e);
        }
    }

    /// <summary>
    /// A generator over the endpoint. The provider tokenises, truncates and pools, so a pooling, a prompt or another
    /// size is refused rather than silently ignored; the other encoder options (threads, batch sizes, truncation)
    /// concern local models and do not apply.
    /// </summary>
    public TextEmbeddingGenerator CreateGenerator(string? pooling = null, TransformerEncoderOptions? options = null) => new(CreateTextEncoder(pooling, options));

    /// <summary>The endpoint as a text encoder, refusing what does not apply as <see cref="CreateGenerator"/> does.</summary>
    public RemoteTextEncoder CreateTextEncoder(string? pooling = null, TransformerEncoderOptions? options = null)
    {
        if (pooling is not null)
        {
            throw new QuiverException($"'{Name}' is a remote model: its provider pools the vectors, so the pooling '{pooling}' does not apply. Leave the pooling unset.");
        }

        if (options?.Prompt is { Length: > 0 })
        {
            throw new QuiverException($"'{Name}' is a remote model: it has no named prompts. Put the prompt in the text itself.");
        }

        if (options?.Dimensions is { } dimensions && dimensions != Manifest.Dimensions)
        {
            throw new QuiverException($"'{Name}' is a remote model of {Manifest.Dimensions} dimensions and cannot give {dimensions}. Leave the dimensions unset.");
        }

        return new RemoteTextEncoder(Endpoint, Space);
    }

    internal static void WriteSettings(string folder, RemoteEndpoint endpoint, bool normalized) =>
        File.WriteAllText(Path.Combine(folder, SettingsFile), JsonSerializer.Serialize(
            new RemoteModelSettings
            {
                BaseUrl = endpoint.BaseUrl,
                RemoteModel = endpoint.Model,
                ApiKeyVariable = endpoint.ApiKeyVariable,
                MaxBatch = endpoint.MaxBatch,
                Normalized = normalized,
            },
            InstalledModels.Json));
}
