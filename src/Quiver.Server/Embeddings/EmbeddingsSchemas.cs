using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Quiver.Server.Operations;

namespace Quiver.Server.Embeddings;

// The wire shapes of the OpenAI-compatible routes: the OpenAPI document shows them, and requests are read into them
// (RequestBody, with the readers in RequestTypes for the values of several shapes). Answers are written by hand, to
// stream large ones; the tests hold the two together.

[Description("OpenAI's embeddings request, with text-embeddings-inference's truncate and prompt_name and Quiver's truncation.")]
internal sealed class EmbeddingsRequest
{
    [JsonPropertyName("input")]
    [Description("What to embed: a string, an array of strings, an array of token ids or an array of such arrays (all inputs of one request of one type; token ids need a transformer model).")]
    public required EmbeddingsInput Input { get; init; }

    [JsonPropertyName("model")]
    [Description("An installed text model (GET /v1/models lists them); the server's default model when absent (an empty name is refused).")]
    public string? Model { get; init; }

    [JsonPropertyName("encoding_format")]
    [Description("float (the default): arrays of numbers; base64: each vector as little-endian float32 bytes in base64.")]
    public EncodingFormat? EncodingFormat { get; init; }

    [JsonPropertyName("dimensions")]
    [Range(1, int.MaxValue)]
    [Description("Keep only the first N dimensions (renormalised when the model's vectors are normalised); at most the model's dimensions.")]
    public int? Dimensions { get; init; }

    [JsonPropertyName("truncation")]
    [Description("What to do with an input longer than the model reads; the server's --truncation when absent.")]
    public TruncationName? Truncation { get; init; }

    [JsonPropertyName("truncate")]
    [Description("text-embeddings-inference's flag: true is truncation=truncate, false is truncation=error. Wins over truncation.")]
    public bool? Truncate { get; init; }

    [JsonPropertyName("prompt_name")]
    [Description("A prompt the model names (models inspect lists them, such as query), put before every text input.")]
    public string? PromptName { get; init; }
}

[Union(typeof(string), typeof(string[]), typeof(int[]), typeof(int[][]))]
[Description("A string, an array of strings, an array of token ids, or an array of arrays of token ids.")]
internal sealed class EmbeddingsInput
{
    /// <summary>How many items the request's array holds (1 for one string).</summary>
    [JsonIgnore]
    public int Count { get; init; }

    /// <summary>Whether the request gave several inputs, so that errors name input[i] rather than input.</summary>
    [JsonIgnore]
    public bool IsArray { get; init; }

    /// <summary>The texts, when the inputs are text (<see cref="EmbeddingsInputReader"/>).</summary>
    [JsonIgnore]
    public IReadOnlyList<string>? Texts { get; init; }

    /// <summary>The token ids of each input, when the inputs are token ids.</summary>
    [JsonIgnore]
    public IReadOnlyList<int[]>? TokenIds { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<EncodingFormat>))]
internal enum EncodingFormat
{
    [JsonStringEnumMemberName("float")]
    Float,

    [JsonStringEnumMemberName("base64")]
    Base64,
}

[JsonConverter(typeof(JsonStringEnumConverter<TruncationName>))]
internal enum TruncationName
{
    [JsonStringEnumMemberName("truncate")]
    Truncate,

    [JsonStringEnumMemberName("chunk")]
    Chunk,

    [JsonStringEnumMemberName("error")]
    Error,
}

[Description("OpenAI's embeddings answer: one entry per input, in input order.")]
internal sealed class EmbeddingsResponse
{
    [JsonPropertyName("object")]
    [Description("Always \"list\".")]
    public required string Object { get; init; }

    [JsonPropertyName("data")]
    public required EmbeddingItem[] Data { get; init; }

    [JsonPropertyName("model")]
    [Description("The model that made the vectors.")]
    public required string Model { get; init; }

    [JsonPropertyName("usage")]
    public required EmbeddingsUsage Usage { get; init; }
}

internal sealed class EmbeddingItem
{
    [JsonPropertyName("object")]
    [Description("Always \"embedding\".")]
    public required string Object { get; init; }

    [JsonPropertyName("index")]
    [Description("The input's position in the request.")]
    public required int Index { get; init; }

    [JsonPropertyName("embedding")]
    public required EmbeddingVector Embedding { get; init; }

    [JsonPropertyName("truncated_tokens")]
    [Description("Quiver's extension, present only when the input was cut: how many tokens the model did not read.")]
    public int? TruncatedTokens { get; init; }
}

[Union(typeof(float[]), typeof(byte[]))]
[Description("The vector: an array of numbers (encoding_format float) or base64 of little-endian float32 bytes (base64).")]
internal sealed class EmbeddingVector;

internal sealed class EmbeddingsUsage
{
    [JsonPropertyName("prompt_tokens")]
    [Description("Tokens the model read for all inputs (0 for word-vector models).")]
    public required long PromptTokens { get; init; }

    [JsonPropertyName("total_tokens")]
    [Description("The same as prompt_tokens: embeddings have no completion.")]
    public required long TotalTokens { get; init; }
}

[Description("OpenAI's model list: the installed models.")]
internal sealed class ModelList
{
    [JsonPropertyName("object")]
    [Description("Always \"list\".")]
    public required string Object { get; init; }

    [JsonPropertyName("data")]
    public required ModelDescription[] Data { get; init; }
}

[Description("An installed model, in OpenAI's model shape with Quiver's dimensions, kind and revision.")]
internal sealed class ModelDescription
{
    [JsonPropertyName("id")]
    [Description("The model's name, as requests give it in model.")]
    public required string Id { get; init; }

    [JsonPropertyName("object")]
    [Description("Always \"model\".")]
    public required string Object { get; init; }

    [JsonPropertyName("created")]
    [Description("When it was installed, in Unix seconds.")]
    public required long Created { get; init; }

    [JsonPropertyName("owned_by")]
    [Description("Always \"quiver\".")]
    public required string OwnedBy { get; init; }

    [JsonPropertyName("dimensions")]
    public required int Dimensions { get; init; }

    [JsonPropertyName("kind")]
    [Description("The model kind, such as transformer, word-vectors or remote.")]
    public required string Kind { get; init; }

    [JsonPropertyName("revision")]
    [Description("The content hash that identifies the model's weights.")]
    public required string Revision { get; init; }
}
