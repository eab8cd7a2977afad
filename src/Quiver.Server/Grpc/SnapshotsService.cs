using System.Diagnostics;
using Grpc.Core;
using Quiver.Server.Collections;
using Quiver.Server.Grpc.Services;
using Quiver.Server.Http;
using Quiver.Store.Snapshots;
using SnapshotDescription = Quiver.Server.Grpc.Services.SnapshotDescription;

namespace Quiver.Server.Grpc;

/// <summary>
/// Qdrant's <c>qdrant.Snapshots</c> service: create, list and delete a collection's snapshots, over the same calls as
/// the REST routes (<see cref="SnapshotsEndpoints"/>); a collection may be named by an alias. Full-storage snapshots
/// are not in Quiver and answer UNIMPLEMENTED, saying what to do instead.
/// </summary>
internal sealed class SnapshotsService(ServedCollections collections) : Snapshots.SnapshotsBase
{
    private const string NoFullSnapshots =
        "Full-storage snapshots are not in Quiver; snapshot each collection (Snapshots.Create with its name, or POST /collections/{name}/snapshots).";

    public override async Task<CreateSnapshotResponse> Create(CreateSnapshotRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var collection = collections.Get(request.CollectionName);
        var cancel = context.CancellationToken;
        var snapshot = await Task.Run(() => collections.Snapshots.Create(collection, cancellationToken: cancel), cancel);
        return new CreateSnapshotResponse { SnapshotDescription = Describe(snapshot), Time = Stopwatch.GetElapsedTime(started).TotalSeconds };
    }

    public override Task<ListSnapshotsResponse> List(ListSnapshotsRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var collection = collections.Get(request.CollectionName);
        var response = new ListSnapshotsResponse();
        response.SnapshotDescriptions.AddRange(collections.Snapshots.List(collection.Name).Select(Describe));
        response.Time = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return Task.FromResult(response);
    }

    public override Task<DeleteSnapshotResponse> Delete(DeleteSnapshotRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var collection = collections.Get(request.CollectionName);
        if (!collections.Snapshots.Delete(collection.Name, request.SnapshotName))
        {
            throw ApiException.NotFound(
                $"Not found: Snapshot {request.SnapshotName} not found. List them with Snapshots.List (or GET /collections/{collection.Name}/snapshots).",
                code: "snapshot_not_found");
        }

        return Task.FromResult(new DeleteSnapshotResponse { Time = Stopwatch.GetElapsedTime(started).TotalSeconds });
    }

    public override Task<CreateSnapshotResponse> CreateFull(CreateFullSnapshotRequest request, ServerCallContext context) => throw FullUnimplemented();

    public override Task<ListSnapshotsResponse> ListFull(ListFullSnapshotsRequest request, ServerCallContext context) => throw FullUnimplemented();

    public override Task<DeleteSnapshotResponse> DeleteFull(DeleteFullSnapshotRequest request, ServerCallContext context) => throw FullUnimplemented();

    private static RpcException FullUnimplemented() => new(new Status(StatusCode.Unimplemented, NoFullSnapshots));

    private static SnapshotDescription Describe(SnapshotInfo snapshot)
    {
        var description = new SnapshotDescription
        {
            Name = snapshot.Name,
            CreationTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(snapshot.CreatedAt),
            Size = snapshot.Size,
        };
        if (snapshot.Checksum is not null)
        {
            description.Checksum = snapshot.Checksum;
        }

        return description;
    }
}
