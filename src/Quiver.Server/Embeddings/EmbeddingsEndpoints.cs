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
        var body = await JsonBody.ReadObject(context, limits);
        var model = models.Get(JsonFields.String(body, "model"));
        await body.Reserve(limits.BodyMemoryWait, context.RequestAborted, "input");
        var inputs = ReadInputs(body, limits);
        var format = JsonFields.String(body, "encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
        {
            throw ApiException.BadRequest($"'{format}' is not an encoding format; use float or base64.", "encoding_format");
        }

        var dimensions = JsonFields.Int(body, "dimensions", 1, model.Dimensions) ?? model.Dimensions;
        var truncation = ReadTruncation(body, options.Truncation);
        if (inputs[0].IsTokens && !model.AcceptsTokenIds)
        {
            throw ApiException.BadRequest($"'{model.Name}' is a {model.Manifest.Kind} model and takes text; token-id inputs need a transformer model.", "input");
        }

        // text-embeddings-inference's "prompt_name": a prompt the model names, put before every text input.
        if (JsonFields.String(body, "prompt_name") is { } promptName)
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
            if (format == "base64")
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

    private static List<EmbeddingInput> ReadInputs(RequestJson body, ServerLimits limits)
    {
        var node = body["input"] ?? throw ApiException.BadRequest("is required: a string, an array of strings, an array of token ids or an array of such arrays.", "input");
        var inputs = new List<EmbeddingInput>();
        switch (node.GetValueKind())
        {
            case JsonValueKind.String:
                inputs.Add(new EmbeddingInput(Text(node, "input", limits), null));
                break;
            case JsonValueKind.Array:
                var array = node.AsArray();
                if (array.Count == 0)
                {
                    throw ApiException.BadRequest("is an empty array; give at least one input.", "input");
                }

                if (array.Count > limits.MaxInputsPerRequest)
                {
                    throw ApiException.BadRequest($"has {array.Count} inputs; one request takes at most {limits.MaxInputsPerRequest}. Split it into several requests.", "input");
                }

                var first = array[0]?.GetValueKind();
                if (first == JsonValueKind.Number)
                {
                    inputs.Add(new EmbeddingInput(null, TokenIds(array, "input", limits)));
                    break;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    var path = $"input[{i}]";
                    inputs.Add(first switch
                    {
                        JsonValueKind.String => new EmbeddingInput(Text(item, path, limits), null),
                        JsonValueKind.Array => new EmbeddingInput(null, TokenIds(item as JsonArray ?? throw JsonFields.Wrong(path, "an array of token ids like input[0]", item), path, limits)),
                        _ => throw JsonFields.Wrong(path, "a string or an array of token ids", item),
                    });
                }

                break;
            default:
                throw JsonFields.Wrong("input", "a string, an array of strings, an array of token ids or an array of such arrays", node);
        }

        return inputs;
    }

    private static string Text(JsonNode? node, string path, ServerLimits limits)
    {
        if (node?.GetValueKind() != JsonValueKind.String)
        {
            throw JsonFields.Wrong(path, "a string (every input of one request has the same type)", node);
        }

        var text = node.GetValue<string>();
        if (text.Length > limits.MaxInputCharacters)
        {
            throw ApiException.BadRequest($"is {text.Length} characters long; the server takes at most {limits.MaxInputCharacters} per input. Split the text.", path);
        }

        return text;
    }

    private static int[] TokenIds(JsonArray array, string path, ServerLimits limits)
    {
        if (array.Count > limits.MaxTokensPerInput)
        {
            throw ApiException.BadRequest($"has {array.Count} tokens; the server takes at most {limits.MaxTokensPerInput} per input.", path);
        }

        if (array.Count == 0)
        {
            throw ApiException.BadRequest("is an empty token array; give at least one token id.", path);
        }

        var ids = new int[array.Count];
        for (var t = 0; t < array.Count; t++)
        {
            var item = array[t];
            if (item?.GetValueKind() != JsonValueKind.Number || !item.AsValue().TryGetValue<int>(out var id) || id < 0)
            {
                throw JsonFields.Wrong($"{path}[{t}]", "a token id (a whole number from 0)", item);
            }

            ids[t] = id;
        }

        return ids;
    }

    private static TruncationPolicy ReadTruncation(RequestJson body, TruncationPolicy fallback)
    {
        // "truncate": true/false is text-embeddings-inference's flag; "truncation" names the policy.
        if (JsonFields.Bool(body, "truncate") is { } truncate)
        {
            return truncate ? TruncationPolicy.Truncate : TruncationPolicy.Error;
        }

        var name = JsonFields.String(body, "truncation");
        if (name is null)
        {
            return fallback;
        }

        // Exact lower-case names, as OpenAI's own enumerations (encoding_format) are matched.
        return name switch
        {
            "truncate" => TruncationPolicy.Truncate,
            "chunk" => TruncationPolicy.Chunk,
            "error" => TruncationPolicy.Error,
            _ => throw ApiException.BadRequest($"'{name}' is not a truncation policy; use truncate, chunk or error (lower case, exactly).", "truncation"),
        };
    }
}
