using System.Text.Json.Serialization;

namespace Quiver.Catalogue;

/// <summary>What <c>remote.json</c> in a remote model's folder records: where to call, and what the first answer showed.</summary>
internal sealed record RemoteModelSettings
{
    [JsonPropertyName("base_url")]
    public required Uri BaseUrl { get; init; }

    [JsonPropertyName("remote_model")]
    public required string RemoteModel { get; init; }

    /// <summary>The NAME of the environment variable holding the key: the key itself is never written to disk.</summary>
    [JsonPropertyName("api_key_env")]
    public string? ApiKeyVariable { get; init; }

    [JsonPropertyName("max_batch")]
    public required int MaxBatch { get; init; }

    /// <summary>Whether the provider's vectors were unit length when the model was added.</summary>
    [JsonPropertyName("normalized")]
    public required bool Normalized { get; init; }
}
