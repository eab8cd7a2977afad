using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Quiver.Server.Operations;

[Description("The root's answer: Qdrant's clients compare version with their own.")]
internal sealed class ServerDescription
{
    [JsonPropertyName("title")]
    public required string Title { get; init; }

    [JsonPropertyName("version")]
    [Description("The Qdrant REST API version whose schema the collection routes follow.")]
    public required string Version { get; init; }

    [JsonPropertyName("quiver")]
    [Description("Quiver's own version.")]
    public required string? Quiver { get; init; }
}
