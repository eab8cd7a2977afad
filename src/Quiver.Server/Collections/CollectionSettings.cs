using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Server.Collections;

/// <summary>A new collection's space and index, distances and payload index kinds by Qdrant's names: for REST and gRPC alike.</summary>
internal static class CollectionSettings
{
    public const int MaxDimensions = 65_536;
    public const int MinM = 2;
    public const int MaxM = 128;
    public const int MinEfConstruct = 4;
    public const int MaxEfConstruct = 4096;

    /// <summary>
    /// The options of a collection bound to <paramref name="modelName"/> (its space; size and distance, when given, must
    /// agree with it) or to raw vectors of <paramref name="size"/> compared by <paramref name="metric"/>.
    /// </summary>
    public static CollectionOptions Options(ServedModels models, string? modelName, int? size, DistanceMetric? metric, int? m, int? efConstruct)
    {
        EmbeddingSpace space;
        if (modelName is not null)
        {
            var model = models.Get(modelName);
            space = model.Space;
            if (size is { } s && s != space.Dimensions)
            {
                throw ApiException.BadRequest($"is {s} but the model '{model.Name}' gives {space.Dimensions}-dimensional vectors; leave it out or make them agree.", "vectors.size");
            }

            if (metric is { } given && given != space.Metric)
            {
                throw ApiException.BadRequest($"the model '{model.Name}' is compared by {space.Metric}; leave distance out or use that.", "vectors.distance");
            }
        }
        else
        {
            if (size is null || metric is null)
            {
                throw ApiException.BadRequest("is required: {\"size\": N, \"distance\": \"Cosine\" | \"Dot\" | \"Euclid\"} (or give \"model\" to embed text).", "vectors");
            }

            space = EmbeddingSpace.Raw(size.Value, metric.Value);
        }

        var index = IndexOptions.Default;
        if (m is not null || efConstruct is not null)
        {
            index = index with { Hnsw = new HnswParameters(m ?? index.Hnsw.M, efConstruct ?? index.Hnsw.EfConstruction, index.Hnsw.EfSearch) };
        }

        return new CollectionOptions(space, index);
    }

    public static string DistanceName(DistanceMetric metric) => metric switch
    {
        DistanceMetric.Cosine => "Cosine",
        DistanceMetric.Dot => "Dot",
        _ => "Euclid",
    };

    public static DistanceMetric Distance(string? name) => name switch
    {
        "Cosine" => DistanceMetric.Cosine,
        "Dot" => DistanceMetric.Dot,
        "Euclid" => DistanceMetric.Euclidean,
        _ => throw ApiException.BadRequest(DistanceRefusal(name), "vectors.distance"),
    };

    /// <summary>The metric of a distance a typed request gave; the enum's members are Qdrant's names.</summary>
    public static DistanceMetric Distance(DistanceName name) => Distance(name.ToString());

    /// <summary>Why <paramref name="name"/> is no distance Quiver compares by, for REST's reader and gRPC alike.</summary>
    public static string DistanceRefusal(string? name) => name switch
    {
        "Manhattan" => "Manhattan distance is not supported; use Cosine, Dot or Euclid.",
        null => "is required: Cosine, Dot or Euclid.",
        _ => $"'{name}' is not a distance; use Cosine, Dot or Euclid.",
    };

    /// <summary>The payload index for a Qdrant field schema name (keyword, integer, float, bool, uuid).</summary>
    public static PayloadIndexKind IndexKind(string? type) => type switch
    {
        "keyword" or "bool" or "uuid" => PayloadIndexKind.Keyword,
        "integer" => PayloadIndexKind.Integer,
        "float" => PayloadIndexKind.Float,
        null => throw ApiException.BadRequest("is required: keyword, integer, float or bool.", "field_schema"),
        _ => throw ApiException.BadRequest($"'{type}' payload indexes are not supported; use keyword, integer, float or bool.", "field_schema"),
    };
}
