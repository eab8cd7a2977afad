using Quiver.Server.Collections;
using Quiver.Server.Http;
using Quiver.Store.Filtering;
using Q = Qdrant.Client.Grpc;

namespace Quiver.Server.Grpc;

/// <summary>Qdrant's selector messages (with_payload, with_vectors, points) and vectors, read as REST reads their JSON.</summary>
internal static class GrpcSelectors
{
    public static PayloadSelector Payload(Q.WithPayloadSelector? selector, bool fallback) => selector?.SelectorOptionsCase switch
    {
        null or Q.WithPayloadSelector.SelectorOptionsOneofCase.None => fallback ? PayloadSelector.All : PayloadSelector.None,
        Q.WithPayloadSelector.SelectorOptionsOneofCase.Enable => selector.Enable ? PayloadSelector.All : PayloadSelector.None,
        Q.WithPayloadSelector.SelectorOptionsOneofCase.Include => new PayloadSelector(true, selector.Include.Fields.ToHashSet(StringComparer.Ordinal), null),
        _ => new PayloadSelector(true, null, selector.Exclude.Fields.ToHashSet(StringComparer.Ordinal)),
    };

    public static bool Vectors(Q.WithVectorsSelector? selector, bool fallback) => selector?.SelectorOptionsCase switch
    {
        null or Q.WithVectorsSelector.SelectorOptionsOneofCase.None => fallback,
        Q.WithVectorsSelector.SelectorOptionsOneofCase.Enable => selector.Enable,

        // The unnamed vector is the one named "" in Qdrant; any other name is a named vector Quiver does not hold.
        _ when selector.Include.Names.All(name => name.Length == 0) => selector.Include.Names.Count > 0,
        _ => throw ApiException.BadRequest("names vectors, but Quiver collections hold one unnamed vector: give true or false.", "with_vectors"),
    };

    /// <summary>Which points a delete or payload edit applies to: ids or a filter.</summary>
    public static (List<string>? Ids, PayloadFilter? Filter) Points(Q.PointsSelector? selector, ServerLimits limits) => selector?.PointsSelectorOneOfCase switch
    {
        Q.PointsSelector.PointsSelectorOneOfOneofCase.Points => (GrpcPointIds.ParseMany(selector.Points.Ids, "points", limits.MaxPointsPerRequest), null),
        Q.PointsSelector.PointsSelectorOneOfOneofCase.Filter => (null, GrpcFilters.Parse(selector.Filter, "filter")),
        _ => throw ApiException.BadRequest("is required: the point ids (or a filter) to apply this to.", "points"),
    };

    /// <summary>A dense vector from a Vector message: its dense variant, or the older data field; null for a document (text to embed).</summary>
    public static float[]? Dense(Q.Vector vector, string path, out string? text)
    {
        text = null;
        switch (vector.VectorCase)
        {
            case Q.Vector.VectorOneofCase.Dense:
                return [.. vector.Dense.Data];
            case Q.Vector.VectorOneofCase.Document:
                text = vector.Document.Text;
                return null;
#pragma warning disable CS0612 // Clients before Qdrant 1.14's dense variant send the numbers in the deprecated data field.
            case Q.Vector.VectorOneofCase.None when vector.Indices is null && vector.VectorsCount == 0:
                return [.. vector.Data];
#pragma warning restore CS0612
            default:
                throw ApiException.BadRequest("is a sparse, multi-dense, image or object vector; Quiver collections hold one dense vector. Give its numbers (or a document's text).", path);
        }
    }

    public static void Unnamed(string? name, string path)
    {
        if (!string.IsNullOrEmpty(name))
        {
            throw ApiException.BadRequest($"names the vector '{name}', but Quiver collections hold one unnamed vector. Leave it out.", path);
        }
    }
}
