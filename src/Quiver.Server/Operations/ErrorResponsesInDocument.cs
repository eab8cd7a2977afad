using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Server.Security;

namespace Quiver.Server.Operations;

/// <summary>
/// Adds to each operation the errors the middleware and handlers answer with, in the body shape of the route's API
/// style (<see cref="ErrorResponses"/>): so a client learns them from the document, not from a first failure.
/// </summary>
internal sealed class ErrorResponsesInDocument : IOpenApiOperationTransformer
{
    // The requests that may carry text for a model, whose failure at a remote endpoint is a 502.
    private static readonly HashSet<Type> Embedding = [typeof(EmbeddingsRequest), typeof(UpsertPointsRequest), typeof(SearchPointsRequest), typeof(QueryPointsRequest), typeof(ContextQuestion)];

    // The routes that answer for a missing collection (false) rather than 404.
    private static readonly HashSet<string> AnswerForMissing = ["delete_collection", "collection_exists"];

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var path = "/" + description.RelativePath?.Split('?')[0];
        var style = ApiStyles.For(path);
        var errors = new SortedDictionary<int, string>();
        if (!AccessControl.OpenPaths.Contains(path, StringComparer.Ordinal) && path != Explorer.ExplorerPage.Path)
        {
            errors[401] = "No API key, or one this server does not know (when the server has keys).";
        }

        var metadata = description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<WriteAccess>().Any())
        {
            errors[403] = "The API key is read-only and this route changes stored data.";
        }

        var body = description.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body");
        var routeParameters = description.ParameterDescriptions.Any(p => p.Source.Id == "Path");
        if (body is not null || routeParameters)
        {
            errors[400] = "The request is not valid: the message names the field at fault and the fix.";
            if (!AnswerForMissing.Contains(metadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName ?? string.Empty))
            {
                errors[404] = "No such collection, model or point.";
            }
        }

        if (body is not null)
        {
            errors[413] = "The body is larger than the server accepts.";
        }

        if (body is not null && Embedding.Contains(body.Type))
        {
            errors[502] = "A remote model's endpoint failed to embed the text.";
        }

        if (body?.Type == typeof(EmbeddingsRequest))
        {
            errors[413] = "The body is larger than the server accepts, or the inputs cost more tokens than it embeds per request (max_tokens_per_request).";
            errors[503] = "The request did not finish within the server's embedding deadline; its remaining work was dropped (deadline_exceeded).";
        }

        if (path is not ("/healthz" or "/livez" or "/readyz" or "/metrics"))
        {
            errors[429] = "Too many requests queued; retry after the seconds in Retry-After.";
        }

        errors[500] = "The server failed; the error is in its log.";

        var schema = await ErrorSchema(style == ApiStyle.OpenAi ? typeof(OpenAiError) : typeof(QdrantError), context, cancellationToken);
        operation.Responses ??= [];
        foreach (var (status, text) in errors)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = new OpenApiResponse
                {
                    Description = text,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            }
        }
    }

    // One component per error shape, referenced by every operation (a schema made here would otherwise be inlined in each).
    private static async Task<IOpenApiSchema> ErrorSchema(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken));
        }

        return new OpenApiSchemaReference(type.Name, document);
    }
}
