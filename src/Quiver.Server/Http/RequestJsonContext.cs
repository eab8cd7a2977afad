using System.Text.Json.Serialization;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;

namespace Quiver.Server.Http;

/// <summary>
/// The source-generated metadata of the typed requests (the same types the OpenAPI document shows). Read through
/// <see cref="RequestTypes"/>, which adds the readers of values of several shapes.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(EmbeddingsRequest))]
[JsonSerializable(typeof(UpsertPointsRequest))]
[JsonSerializable(typeof(GetPointsRequest))]
[JsonSerializable(typeof(ScrollRequest))]
[JsonSerializable(typeof(CountRequest))]
[JsonSerializable(typeof(SearchPointsRequest))]
[JsonSerializable(typeof(SearchBatchRequest))]
[JsonSerializable(typeof(RecommendPointsRequest))]
[JsonSerializable(typeof(RecommendBatchRequest))]
[JsonSerializable(typeof(RecommendInput))]
[JsonSerializable(typeof(QueryPointsRequest))]
[JsonSerializable(typeof(QueryBatchRequest))]
internal sealed partial class RequestJsonContext : JsonSerializerContext;
