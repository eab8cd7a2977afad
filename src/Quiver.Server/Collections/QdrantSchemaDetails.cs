using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Quiver.Server.Collections;

/// <summary>
/// Two shapes of Qdrant's JSON that the types cannot say, written into the finished document: a filter clause is one
/// condition or an array of them (the type says array, and a condition holds clauses itself, so a union type would
/// recurse), and a batch's payloads may hold null for a point without one (array elements lose their nullability).
/// </summary>
internal sealed class QdrantSchemaDetails : IOpenApiDocumentTransformer
{
    private static readonly string[] Clauses = ["must", "should", "must_not"];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return Task.CompletedTask;
        }

        foreach (var holder in new[] { nameof(Filter), nameof(FilterCondition) })
        {
            if (schemas.TryGetValue(holder, out var found) && found is OpenApiSchema { Properties: { } properties })
            {
                foreach (var clause in Clauses.Where(properties.ContainsKey))
                {
                    properties[clause] = new OpenApiSchema
                    {
                        Description = "A condition, or an array of conditions.",
                        AnyOf = [new OpenApiSchemaReference(nameof(FilterCondition), document), new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(nameof(FilterCondition), document) }],
                    };
                }
            }
        }

        if (schemas.TryGetValue(nameof(PointsBatch), out var batch) && batch.Properties?.TryGetValue("payloads", out var list) == true
            && list is OpenApiSchema { Items: { } payload } payloads)
        {
            payloads.Items = new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, payload] };
            payloads.Description = "One payload per id: an object, or null for none.";
        }

        return Task.CompletedTask;
    }
}
