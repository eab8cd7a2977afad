using Grpc.Core;
using Qdrant.Client.Grpc;

namespace Quiver.Server.Tests;

/// <summary>The gRPC port asks for the same API keys as REST (the api-key metadata Qdrant.Client sends): read-only keys read, only admin keys write.</summary>
public sealed class GrpcAccessTests : IAsyncLifetime
{
    private const string Admin = "admin-secret";
    private const string Reader = "reader-secret";
    private GrpcServer _grpc = null!;

    public Task InitializeAsync()
    {
        _grpc = new GrpcServer(o => o with { AdminKeys = [Admin], ReadOnlyKeys = [Reader] });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _grpc.DisposeAsync();

    [Fact]
    public async Task Without_a_key_calls_are_unauthenticated_but_the_health_check_is_open()
    {
        using var anonymous = _grpc.Client();
        var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.ListCollectionsAsync());
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("This server needs an API key", refused.Status.Detail, StringComparison.Ordinal);

        using var wrong = _grpc.Client("guess");
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => wrong.ListCollectionsAsync())).StatusCode);
        Assert.StartsWith("quiver", (await anonymous.HealthAsync()).Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_key_reads_but_cannot_write()
    {
        using var admin = _grpc.Client(Admin);
        using var reader = _grpc.Client(Reader);
        await admin.CreateCollectionAsync("kept", new VectorParams { Size = 2, Distance = Distance.Euclid });
        await admin.UpsertAsync("kept", [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f } }]);

        Assert.Equal(1UL, await reader.CountAsync("kept"));
        Assert.Single(await reader.QueryAsync("kept", new[] { 1f, 0f }));

        var upsert = await Assert.ThrowsAsync<RpcException>(() => reader.UpsertAsync("kept", [new PointStruct { Id = 2, Vectors = new[] { 0f, 1f } }]));
        Assert.Equal(StatusCode.PermissionDenied, upsert.StatusCode);
        Assert.Equal("This key is read-only and this route changes stored data. Use an admin key.", upsert.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.DeleteCollectionAsync("kept"))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.SetPayloadAsync("kept", new Dictionary<string, Value> { ["a"] = 1L }, 1UL))).StatusCode);

        // Nothing the reader tried was stored.
        Assert.Equal(1UL, await admin.CountAsync("kept"));
        Assert.Empty((await admin.RetrieveAsync("kept", 1UL)).Single().Payload);
    }

    [Fact]
    public async Task A_read_only_key_lists_aliases_and_snapshots_but_cannot_change_them()
    {
        using var admin = _grpc.Client(Admin);
        using var reader = _grpc.Client(Reader);
        await admin.CreateCollectionAsync("kept", new VectorParams { Size = 2, Distance = Distance.Euclid });
        await admin.CreateAliasAsync("held", "kept");
        var snapshot = await admin.CreateSnapshotAsync("kept");

        Assert.Equal("held", Assert.Single(await reader.ListAliasesAsync()).AliasName);
        Assert.Equal(["held"], await reader.ListCollectionAliasesAsync("kept"));
        Assert.Equal(snapshot.Name, Assert.Single(await reader.ListSnapshotsAsync("held")).Name);

        var create = await Assert.ThrowsAsync<RpcException>(() => reader.CreateAliasAsync("mine", "kept"));
        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
        Assert.Equal("This key is read-only and this route changes stored data. Use an admin key.", create.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.RenameAliasAsync("held", "taken"))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.DeleteAliasAsync("held"))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.CreateSnapshotAsync("kept"))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.DeleteSnapshotAsync("kept", snapshot.Name))).StatusCode);

        // Nothing the reader tried was changed.
        Assert.Equal([("held", "kept")], (await admin.ListAliasesAsync()).Select(a => (a.AliasName, a.CollectionName)));
        Assert.Equal(snapshot.Name, Assert.Single(await admin.ListSnapshotsAsync("kept")).Name);
    }
}
