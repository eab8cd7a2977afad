using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Quiver.Server.Collections;

namespace Quiver.Server.Operations;

/// <summary>The OpenAPI document at /openapi/v1.json: every route with its request and response schemas and its errors.</summary>
internal static class OpenApiDocumentSetup
{
    public static IServiceCollection AddQuiverOpenApi(this IServiceCollection services) =>
        // The schemas follow these options. ASP.NET Core's web defaults read numbers from strings too, so every
        // number would be documented as "integer or string"; the handlers take numbers only as JSON numbers.
        services.Configure<JsonOptions>(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict)
            .AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Quiver";
                document.Info.Description = "Embeddings and vector search: OpenAI-compatible embeddings under /v1, Qdrant-compatible collections under /collections. "
                    + "Send the API key as 'api-key: KEY' or 'Authorization: Bearer KEY' when the server has keys.";
                return Task.CompletedTask;
            });
            // A generic over an array would be named "QdrantResponseOfScoredPoint[]", which is not a valid component name.
            options.CreateSchemaReferenceId = type => OpenApiOptions.CreateDefaultSchemaReferenceId(type)?.Replace("[]", "Array", StringComparison.Ordinal);
            options.AddSchemaTransformer<UnionSchemas>();
            options.AddSchemaTransformer<StringEnumSchemas>();
            options.AddSchemaTransformer<FreeFormObjectSchemas>();
            options.AddOperationTransformer<ErrorResponsesInDocument>();
            options.AddDocumentTransformer<QdrantSchemaDetails>();
        });
}
