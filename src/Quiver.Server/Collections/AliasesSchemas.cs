using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Quiver.Server.Operations;

namespace Quiver.Server.Collections;

// The wire shapes of Qdrant's alias routes: the OpenAPI document shows them and requests are read into them
// (RequestBody; each action kept as JSON for AliasesEndpoints to tell apart). Answers are written by hand to keep
// Qdrant's exact shapes.

[Description("Qdrant's change-aliases request: the actions are applied in order, all or nothing.")]
internal sealed class ChangeAliasesRequest
{
    [JsonPropertyName("actions")]
    public required AliasOperation[] Actions { get; init; }
}

[Union(typeof(CreateAliasOperation), typeof(DeleteAliasOperation), typeof(RenameAliasOperation))]
[Description("One alias action: create_alias, delete_alias or rename_alias.")]
internal sealed class AliasOperation
{
    /// <summary>The action as the request gave it; the route tells the three kinds apart.</summary>
    [JsonIgnore]
    public JsonNode? Json { get; init; }
}

internal sealed class CreateAliasOperation
{
    [JsonPropertyName("create_alias")]
    public required CreateAlias CreateAlias { get; init; }
}

[Description("Points an alias at a collection (an existing alias of that name is moved). The collection must exist; the alias may not be a collection's name.")]
internal sealed class CreateAlias
{
    [JsonPropertyName("collection_name")]
    public required string CollectionName { get; init; }

    [JsonPropertyName("alias_name")]
    public required string AliasName { get; init; }
}

internal sealed class DeleteAliasOperation
{
    [JsonPropertyName("delete_alias")]
    public required DeleteAlias DeleteAlias { get; init; }
}

[Description("Removes an alias (one that does not exist is no error, as in Qdrant).")]
internal sealed class DeleteAlias
{
    [JsonPropertyName("alias_name")]
    public required string AliasName { get; init; }
}

internal sealed class RenameAliasOperation
{
    [JsonPropertyName("rename_alias")]
    public required RenameAlias RenameAlias { get; init; }
}

[Description("Gives an alias a new name; the old one must exist.")]
internal sealed class RenameAlias
{
    [JsonPropertyName("old_alias_name")]
    public required string OldAliasName { get; init; }

    [JsonPropertyName("new_alias_name")]
    public required string NewAliasName { get; init; }
}

internal sealed class AliasList
{
    [JsonPropertyName("aliases")]
    public required AliasDescription[] Aliases { get; init; }
}

internal sealed class AliasDescription
{
    [JsonPropertyName("alias_name")]
    public required string AliasName { get; init; }

    [JsonPropertyName("collection_name")]
    public required string CollectionName { get; init; }
}
