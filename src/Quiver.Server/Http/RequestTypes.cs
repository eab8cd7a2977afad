using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Quiver.Server.Classification;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Explorer;

namespace Quiver.Server.Http;

/// <summary>
/// The typed requests' metadata for <see cref="RequestBody"/>: <see cref="RequestJsonContext"/>'s, with the readers
/// that give values of several shapes (a point id, a vector or a text, an embeddings input) and named values their
/// exact errors. Required fields are checked by the routes, which name what to give.
/// </summary>
internal static class RequestTypes
{
    /// <summary>Nesting the reader allows; <see cref="JsonBodyScan"/> has already held the body to the server's limit.</summary>
    public const int MaxDepth = 1024;

    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = RequestJsonContext.Default.WithAddedModifier(RequiredByRoutes),
        MaxDepth = MaxDepth,
        Converters =
        {
            new VectorReader(),
            new WholeNumberReader(),
            new PointIdReader(),
            new PointVectorReader(),
            new RecommendExampleReader(new PointIdReader()),
            new JsonKeptReader<Filter>(json => new Filter { Json = json }),
            new JsonKeptReader<PayloadSelection>(json => new PayloadSelection { Json = json }),
            new JsonKeptReader<QueryInput>(json => new QueryInput { Json = json }),
            new JsonKeptReader<PointsSelector>(json => new PointsSelector { Json = json }),
            new JsonKeptReader<AliasOperation>(json => new AliasOperation { Json = json }),
            new VectorParamsReader(),
            new FieldSchemaReader(),
            new ClassifyInputReader(),
            new InspectIdReader(),
            new EmbeddingsInputReader(),
            new NamedValueReader<EncodingFormat>("is not an encoding format; use float or base64.", ("float", EncodingFormat.Float), ("base64", EncodingFormat.Base64)),
            new NamedValueReader<TruncationName>(
                "is not a truncation policy; use truncate, chunk or error (lower case, exactly).",
                ("truncate", TruncationName.Truncate),
                ("chunk", TruncationName.Chunk),
                ("error", TruncationName.Error)),
            new NamedValueReader<ProjectionMethodName>(
                "is not a projection method; use umap, tsne or pca.",
                ("umap", ProjectionMethodName.Umap),
                ("tsne", ProjectionMethodName.Tsne),
                ("pca", ProjectionMethodName.Pca)),
            new NamedValueReader<OutlierMethodName>(
                "is not an outlier method; use lof or knn_distance.",
                ("lof", OutlierMethodName.Lof),
                ("knn_distance", OutlierMethodName.KnnDistance)),
            new NamedValueReader<TextSearchMode>(
                "is not a search mode; use dense, keyword or hybrid.",
                ("dense", TextSearchMode.Dense),
                ("keyword", TextSearchMode.Keyword),
                ("hybrid", TextSearchMode.Hybrid)),
            new NamedValueReader<ContextMode>(
                "is not a search mode; use dense, keyword or hybrid.",
                ("dense", ContextMode.Dense),
                ("keyword", ContextMode.Keyword),
                ("hybrid", ContextMode.Hybrid)),
            new NamedValueReader<ClassifierMethodName>(
                "is not a classifier method; use logistic or knn.",
                ("logistic", ClassifierMethodName.Logistic),
                ("knn", ClassifierMethodName.Knn)),
            new NamedValueReader<RecommendStrategyName>(
                "is not a recommend strategy; use average_vector, best_score or sum_scores.",
                ("average_vector", RecommendStrategyName.AverageVector),
                ("best_score", RecommendStrategyName.BestScore),
                ("sum_scores", RecommendStrategyName.SumScores)),
        },
    };

    public static JsonTypeInfo<EmbeddingsRequest> Embeddings { get; } = Of<EmbeddingsRequest>();

    public static JsonTypeInfo<UpsertPointsRequest> Upsert { get; } = Of<UpsertPointsRequest>();

    public static JsonTypeInfo<PointsSelection> Delete { get; } = Of<PointsSelection>();

    public static JsonTypeInfo<SetPayloadRequest> SetPayload { get; } = Of<SetPayloadRequest>();

    public static JsonTypeInfo<DeletePayloadRequest> DeletePayload { get; } = Of<DeletePayloadRequest>();

    public static JsonTypeInfo<GetPointsRequest> GetPoints { get; } = Of<GetPointsRequest>();

    public static JsonTypeInfo<ScrollRequest> Scroll { get; } = Of<ScrollRequest>();

    public static JsonTypeInfo<CountRequest> Count { get; } = Of<CountRequest>();

    public static JsonTypeInfo<SearchPointsRequest> Search { get; } = Of<SearchPointsRequest>();

    public static JsonTypeInfo<SearchBatchRequest> SearchBatch { get; } = Of<SearchBatchRequest>();

    public static JsonTypeInfo<RecommendPointsRequest> Recommend { get; } = Of<RecommendPointsRequest>();

    public static JsonTypeInfo<RecommendBatchRequest> RecommendBatch { get; } = Of<RecommendBatchRequest>();

    public static JsonTypeInfo<RecommendInput> RecommendInput { get; } = Of<RecommendInput>();

    public static JsonTypeInfo<QueryPointsRequest> Query { get; } = Of<QueryPointsRequest>();

    public static JsonTypeInfo<QueryBatchRequest> QueryBatch { get; } = Of<QueryBatchRequest>();

    public static JsonTypeInfo<ContextQuestion> Context { get; } = Of<ContextQuestion>();

    public static JsonTypeInfo<ProjectionRequest> Projection { get; } = Of<ProjectionRequest>();

    public static JsonTypeInfo<ReembedRequest> Reembed { get; } = Of<ReembedRequest>();

    public static JsonTypeInfo<SnapshotRecoverRequest> Recover { get; } = Of<SnapshotRecoverRequest>();

    public static JsonTypeInfo<EmptyRequest> Empty { get; } = Of<EmptyRequest>();

    public static JsonTypeInfo<ChangeAliasesRequest> Aliases { get; } = Of<ChangeAliasesRequest>();

    public static JsonTypeInfo<ClustersRequest> Clusters { get; } = Of<ClustersRequest>();

    public static JsonTypeInfo<OutliersRequest> Outliers { get; } = Of<OutliersRequest>();

    public static JsonTypeInfo<TextSearchRequest> TextSearch { get; } = Of<TextSearchRequest>();

    public static JsonTypeInfo<CreateCollectionRequest> CreateCollection { get; } = Of<CreateCollectionRequest>();

    public static JsonTypeInfo<CreateFieldIndexRequest> CreateFieldIndex { get; } = Of<CreateFieldIndexRequest>();

    public static JsonTypeInfo<ClassifyRequest> Classify { get; } = Of<ClassifyRequest>();

    public static JsonTypeInfo<TrainClassifierRequest> TrainClassifier { get; } = Of<TrainClassifierRequest>();

    public static JsonTypeInfo<InspectRequest> Inspect { get; } = Of<InspectRequest>();
    public static JsonTypeInfo<Cluster.DistributedCreateRequest> DistributedCreate { get; } = Of<Cluster.DistributedCreateRequest>();

    private static JsonTypeInfo<T> Of<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    // The types mark fields required for the document; a missing one is reported by the route, in its words.
    private static void RequiredByRoutes(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            property.IsRequired = false;
        }
    }
}
