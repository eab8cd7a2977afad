using System.Text.Json.Serialization;
using Quiver.Server.Classification;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Explorer;

namespace Quiver.Server.Http;

/// <summary>
/// The source-generated metadata of the typed requests (the same types the OpenAPI document shows). Read through
/// <see cref="RequestTypes"/>, which adds the readers of values of several shapes.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(EmbeddingsRequest))]
[JsonSerializable(typeof(UpsertPointsRequest))]
[JsonSerializable(typeof(PointsSelection))]
[JsonSerializable(typeof(SetPayloadRequest))]
[JsonSerializable(typeof(DeletePayloadRequest))]
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
[JsonSerializable(typeof(ContextQuestion))]
[JsonSerializable(typeof(ProjectionRequest))]
[JsonSerializable(typeof(ReembedRequest))]
[JsonSerializable(typeof(SnapshotRecoverRequest))]
[JsonSerializable(typeof(EmptyRequest))]
[JsonSerializable(typeof(ChangeAliasesRequest))]
[JsonSerializable(typeof(ClustersRequest))]
[JsonSerializable(typeof(OutliersRequest))]
[JsonSerializable(typeof(TextSearchRequest))]
[JsonSerializable(typeof(CreateCollectionRequest))]
[JsonSerializable(typeof(CreateFieldIndexRequest))]
[JsonSerializable(typeof(ClassifyRequest))]
[JsonSerializable(typeof(TrainClassifierRequest))]
[JsonSerializable(typeof(InspectRequest))]
[JsonSerializable(typeof(Quiver.Server.Cluster.DistributedCreateRequest))]
internal sealed partial class RequestJsonContext : JsonSerializerContext;
