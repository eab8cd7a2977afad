using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Server.Http;
using Quiver.Server.Security;
using Quiver.Store.Aliases;

namespace Quiver.Server.Collections;

/// <summary>
/// Qdrant's alias routes: change aliases (create, delete, rename; the list applied all or nothing), list all aliases,
/// list a collection's. An alias works wherever a collection name does, since every route looks names up through
/// <see cref="ServedCollections.Get"/>.
/// </summary>
internal static class AliasesEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/collections/aliases", Update).RequiresWrite().WithName("update_aliases").WithSummary("Create, delete and rename aliases, all or nothing").WithTags("aliases")
            .Accepts<ChangeAliasesRequest>("application/json").Produces<QdrantResponse<bool>>();
        routes.MapGet("/aliases", List).WithName("get_collections_aliases").WithSummary("List every alias").WithTags("aliases")
            .Produces<QdrantResponse<AliasList>>();
        routes.MapGet("/collections/{name}/aliases", ListOf).WithName("get_collection_aliases").WithSummary("List the aliases of a collection").WithTags("aliases")
            .Produces<QdrantResponse<AliasList>>();
    }

    private static async Task<IResult> Update(HttpContext context, ServedCollections collections, ServerOptions options)
    {
        var request = await RequestBody.Read(context, options.Limits, RequestTypes.Aliases);
        var actions = request.Actions ?? throw ApiException.BadRequest("is required: a list of {\"create_alias\": …}, {\"delete_alias\": …} or {\"rename_alias\": …}.", "actions");
        var parsed = new List<AliasAction>(actions.Length);
        for (var i = 0; i < actions.Length; i++)
        {
            parsed.Add(Parse(actions[i]?.Json, $"actions[{i}]"));
        }

        collections.ChangeAliases(parsed);
        return QdrantJson.Ok(context, true);
    }

    private static AliasAction Parse(JsonNode? node, string path)
    {
        if (node is not JsonObject { Count: 1 } action)
        {
            throw ApiException.BadRequest("must be an object with one of create_alias, delete_alias or rename_alias.", path);
        }

        var (kind, value) = action.First();
        var fields = value as JsonObject ?? throw ApiException.BadRequest("must be an object.", $"{path}.{kind}");
        string Name(string field) => JsonFields.String(fields, field, $"{path}.{kind}.{field}") ?? throw ApiException.BadRequest("is required.", $"{path}.{kind}.{field}");
        return kind switch
        {
            "create_alias" => AliasAction.Create(Name("alias_name"), Name("collection_name")),
            "delete_alias" => AliasAction.Delete(Name("alias_name")),
            "rename_alias" => AliasAction.Rename(Name("old_alias_name"), Name("new_alias_name")),
            _ => throw ApiException.BadRequest($"'{kind}' is not an alias action; use create_alias, delete_alias or rename_alias.", path),
        };
    }

    private static IResult List(HttpContext context, ServedCollections collections) =>
        QdrantJson.Ok(context, Describe(collections.Store.Aliases.List()));

    private static IResult ListOf(string name, HttpContext context, ServedCollections collections)
    {
        var collection = collections.Get(name);
        return QdrantJson.Ok(context, Describe(collections.Store.Aliases.Of(collection.Name)));
    }

    private static JsonObject Describe(IEnumerable<CollectionAlias> aliases) => new()
    {
        ["aliases"] = new JsonArray([.. aliases.Select(a => (JsonNode)new JsonObject { ["alias_name"] = a.AliasName, ["collection_name"] = a.CollectionName })]),
    };
}
