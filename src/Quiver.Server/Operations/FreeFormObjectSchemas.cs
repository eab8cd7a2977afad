using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Quiver.Server.Operations;

/// <summary>
/// Says outright that a payload (any JSON object) takes any keys and values: "additionalProperties": {} instead of
/// leaving it out, which means the same in JSON Schema but lets generators type it as a dictionary, not as object.
/// </summary>
internal sealed class FreeFormObjectSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(Dictionary<string, JsonNode?>) && schema.AdditionalProperties is null)
        {
            schema.AdditionalProperties = new OpenApiSchema();
        }

        return Task.CompletedTask;
    }
}
