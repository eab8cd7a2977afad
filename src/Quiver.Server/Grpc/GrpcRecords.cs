using Quiver.Server.Collections;
using Quiver.Store.Collections;
using Q = Qdrant.Client.Grpc;

namespace Quiver.Server.Grpc;

/// <summary>Stored points as Qdrant's RetrievedPoint and ScoredPoint messages, with the payload keys and vector asked for.</summary>
internal static class GrpcRecords
{
    public static Q.RetrievedPoint Retrieved(Point point, PayloadSelector payload, bool withVector)
    {
        var record = new Q.RetrievedPoint { Id = GrpcPointIds.ToGrpc(point.Id) };
        GrpcValues.Fill(record.Payload, payload.Apply(point.Payload));
        if (withVector && point.Vector.Length > 0)
        {
            record.Vectors = Vectors(point.Vector);
        }

        return record;
    }

    public static Q.ScoredPoint Scored(SearchHit hit, float[]? vector, PayloadSelector payload, bool withVector)
    {
        var record = new Q.ScoredPoint { Id = GrpcPointIds.ToGrpc(hit.Id), Score = hit.Score, Version = 0 };
        GrpcValues.Fill(record.Payload, payload.Apply(hit.Payload));
        if (withVector && vector is { Length: > 0 })
        {
            record.Vectors = Vectors(vector);
        }

        return record;
    }

    /// <summary>A point of a query without a query vector (the first points in id order), as Qdrant answers it: score 0.</summary>
    public static Q.ScoredPoint Unscored(Point point, PayloadSelector payload, bool withVector)
    {
        var record = new Q.ScoredPoint { Id = GrpcPointIds.ToGrpc(point.Id) };
        GrpcValues.Fill(record.Payload, payload.Apply(point.Payload));
        if (withVector && point.Vector.Length > 0)
        {
            record.Vectors = Vectors(point.Vector);
        }

        return record;
    }

    public static Q.UpdateResult Completed(long operationId) =>
        new() { OperationId = (ulong)Math.Max(0, operationId), Status = Q.UpdateStatus.Completed };

    private static Q.VectorsOutput Vectors(float[] vector)
    {
        var dense = new Q.DenseVector();
        dense.Data.AddRange(vector);
        return new Q.VectorsOutput { Vector = new Q.VectorOutput { Dense = dense } };
    }
}
