using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quiver.Models;
using Quiver.Models.Onnx;
using Quiver.Server.Http;

namespace Quiver.Server.Embeddings;

/// <summary>
/// OpenAI's embeddings API: <c>POST /v1/embeddings</c> (input as a string, strings, token ids or arrays of token
/// ids; encoding_format float or base64; dimensions; usage) and <c>GET /v1/models</c>. Quiver's extension: a
/// "truncation" field (truncate, chunk or error) for inputs longer than the model reads.
/// </summary>
internal static class EmbeddingsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/embeddings", Embed).WithName("createEmbedding").WithSummary("Embed texts or token ids (OpenAI embeddings API)").WithTags("embeddings")
            .Accepts<EmbeddingsRequest>("application/json").Produces<EmbeddingsResponse>();
        routes.MapGet("/v1/models", ListModels).WithName("listModels").WithSummary("List the installed text models (OpenAI models API)").WithTags("embeddings")
            .Produces<ModelList>();
        routes.MapGet("/v1/models/{model}", GetModel).WithName("retrieveModel").WithSummary("One installed text model").WithTags("embeddings")
            .Produces<ModelDescription>();
    }

    private static async Task Embed(HttpContext context, ServedModels models, EmbeddingBatcher batcher, ServerOptions options)
    {
        var limits = options.Limits;
        var request = await RequestBody.Read(context, limits, RequestTypes.Embeddings);
        var model = models.Get(request.Model);
        var inputs = Inputs(request.Input, limits);
        var format = request.EncodingFormat ?? EncodingFormat.Float;
        var dimensions = request.Dimensions is { } d ? JsonFields.Within(d, 1, model.Dimensions, "dimensions") : model.Dimensions;
        var truncation = Truncation(request, options.Truncation);
        if (inputs[0].IsTokens && !model.AcceptsTokenIds)
        {
            throw ApiException.BadRequest($"'{model.Name}' is a {model.Manifest.Kind} model and takes text; token-id inputs need a transformer model.", "input");
        }

        // text-embeddings-inference's "prompt_name": a prompt the model names, put before every text input.
        if (request.PromptName is { } promptName)
        {
            var prompt = model.NamedPrompt(promptName, "prompt_name");
            if (inputs[0].IsTokens)
            {
                throw ApiException.BadRequest("applies to text inputs; token-id inputs already hold every token the model reads.", "prompt_name");
            }

            inputs = [.. inputs.Select(i => EmbeddingInput.Prompted(prompt, i.Text!))];
        }

        var results = await batcher.Embed(model, inputs, truncation, context.RequestAborted);
        var truncated = results.Count(r => r.TruncatedTokens > 0);
        if (truncated > 0)
        {
            context.Response.Headers["X-Quiver-Truncated-Inputs"] = truncated.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var cached = results.Count(r => r.Cached);
        if (cached > 0)
        {
            context.Response.Headers["X-Quiver-Cached-Inputs"] = cached.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        var tokens = 0L;
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            tokens += result.Tokens;
            var vector = Matryoshka.Shorten(result.Vector, dimensions, model.Normalized);
            writer.WriteStartObject();
            writer.WriteString("object", "embedding");
            writer.WriteNumber("index", i);
            if (format == EncodingFormat.Base64)
            {
                writer.WriteBase64String("embedding", MemoryMarshal.AsBytes(vector.AsSpan()));
            }
            else
            {
                writer.WriteStartArray("embedding");
                foreach (var value in vector)
                {
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
            }

            if (result.TruncatedTokens > 0)
            {
                writer.WriteNumber("truncated_tokens", result.TruncatedTokens);
            }

            writer.WriteEndObject();
            if (writer.BytesPending > 1 << 16)
            {
                await writer.FlushAsync(context.RequestAborted);
            }
        }

        writer.WriteEndArray();
        writer.WriteString("model", model.Name);
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", tokens);
        writer.WriteNumber("total_tokens", tokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static IResult ListModels(ServedModels models) =>
        Results.Json(new ModelList { Object = "list", Data = [.. models.Installed().Select(Describe)] });

    private static IResult GetModel(string model, ServedModels models)
    {
        var manifest = models.Installed().FirstOrDefault(m => m.Name == model)
            ?? throw ApiException.NotFound($"The model '{model}' is not installed here. GET /v1/models lists those that are.", "model", "model_not_found");
        return Results.Json(Describe(manifest));
    }

    private static ModelDescription Describe(Quiver.Catalogue.ModelManifest manifest) => new()
    {
        Id = manifest.Name,
        Object = "model",
        Created = manifest.InstalledAt.ToUnixTimeSeconds(),
        OwnedBy = "quiver",
        Dimensions = manifest.Dimensions,
        Kind = manifest.Kind,
        Revision = manifest.Revision,
    };

    // The input as the model's inputs, within the server's limits (the reader has checked each item's type).
    private static List<EmbeddingInput> Inputs(EmbeddingsInput? input, ServerLimits limits)
    {
        if (input is null)
        {
            throw ApiException.BadRequest("is required: a string, an array of strings, an array of token ids or an array of such arrays.", "input");
        }

        if (input.Count > limits.MaxInputsPerRequest)
        {
            throw ApiException.BadRequest($"has {input.Count} inputs; one request takes at most {limits.MaxInputsPerRequest}. Split it into several requests.", "input");
        }

        string PathOf(int i) => input.IsArray ? $"input[{i}]" : "input";
        var inputs = new List<EmbeddingInput>(input.Count);
        if (input.Texts is { } texts)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                inputs.Add(new EmbeddingInput(texts[i].Length <= limits.MaxInputCharacters
                    ? texts[i]
                    : throw ApiException.BadRequest($"is {texts[i].Length} characters long; the server takes at most {limits.MaxInputCharacters} per input. Split the text.", PathOf(i)), null));
            }

            return inputs;
        }

        var tokenIds = input.TokenIds!;
        for (var i = 0; i < tokenIds.Count; i++)
        {
            inputs.Add(new EmbeddingInput(null, tokenIds[i].Length <= limits.MaxTokensPerInput
                ? tokenIds[i]
                : throw ApiException.BadRequest($"has {tokenIds[i].Length} tokens; the server takes at most {limits.MaxTokensPerInput} per input.", PathOf(i))));
        }

        return inputs;
    }

    // "truncate": true/false is text-embeddings-inference's flag and wins; "truncation" names the policy.
    private static TruncationPolicy Truncation(EmbeddingsRequest request, TruncationPolicy fallback) => request switch
    {
        { Truncate: true } => TruncationPolicy.Truncate,
        { Truncate: false } => TruncationPolicy.Error,
        { Truncation: TruncationName.Truncate } => TruncationPolicy.Truncate,
        { Truncation: TruncationName.Chunk } => TruncationPolicy.Chunk,
        { Truncation: TruncationName.Error } => TruncationPolicy.Error,
        _ => fallback,
    };
}
