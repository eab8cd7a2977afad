using Grpc.Core;
using Quiver.Server.Grpc.Services;

namespace Quiver.Server.Grpc;

/// <summary>Qdrant's <c>qdrant.Snapshots</c> service: not in this Quiver version yet, and every call says so.</summary>
internal sealed class SnapshotsService : Snapshots.SnapshotsBase
{
    private const string Message = "Snapshots are not served over gRPC by this Quiver version; back a collection up by copying its folder while the server is stopped (quiver inspect NAME shows it).";

    public override Task<CreateSnapshotResponse> Create(CreateSnapshotRequest request, ServerCallContext context) => throw Unimplemented();

    public override Task<ListSnapshotsResponse> List(ListSnapshotsRequest request, ServerCallContext context) => throw Unimplemented();

    public override Task<DeleteSnapshotResponse> Delete(DeleteSnapshotRequest request, ServerCallContext context) => throw Unimplemented();

    public override Task<CreateSnapshotResponse> CreateFull(CreateFullSnapshotRequest request, ServerCallContext context) => throw Unimplemented();

    public override Task<ListSnapshotsResponse> ListFull(ListFullSnapshotsRequest request, ServerCallContext context) => throw Unimplemented();

    public override Task<DeleteSnapshotResponse> DeleteFull(DeleteFullSnapshotRequest request, ServerCallContext context) => throw Unimplemented();

    private static RpcException Unimplemented() => new(new Status(StatusCode.Unimplemented, Message));
}
