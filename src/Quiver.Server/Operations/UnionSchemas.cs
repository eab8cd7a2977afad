using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Quiver.Server.Operations;

/// <summary>
/// Gives a <see cref="UnionAttribute"/> type its schema: oneOf (or anyOf) its alternatives' schemas, in place of the
/// empty object its class would otherwise show.
/// </summary>
internal sealed class UnionSchemas : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type.GetCustomAttribute<UnionAttribute>() is not { } union)
        {
            return;
        }

        var alternatives = new List<IOpenApiSchema>();
        foreach (var type in union.Alternatives)
        {
            alternatives.Add(await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken));
        }

        schema.Type = null;
        schema.Properties = null;
        schema.Required = null;
        schema.AdditionalProperties = null;
        if (union.Overlapping)
        {
            schema.AnyOf = alternatives;
        }
        else
        {
            schema.OneOf = alternatives;
        }
    }
}
