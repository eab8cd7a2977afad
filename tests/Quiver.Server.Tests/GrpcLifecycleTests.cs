using Grpc.Core;
using Qdrant.Client.Grpc;

namespace Quiver.Server.Tests;

/// <summary>
/// Aliases and collection snapshots over gRPC, called through Qdrant.Client as an application would: aliases created,
/// renamed, listed, searched through and deleted (a list of changes applied all or nothing), snapshots created, listed
/// and deleted; REST sees what gRPC did.
/// </summary>
public sealed class GrpcLifecycleTests : IAsyncLifetime
{
    private GrpcServer _grpc = null!;

    private ServerFixture Rest => _grpc.Server;

    public async Task InitializeAsync()
    {
        _grpc = new GrpcServer();
        using var client = _grpc.Client();
        await client.CreateCollectionAsync("books", new VectorParams { Size = 3, Distance = Distance.Euclid });
        await client.UpsertAsync("books", [
            new PointStruct { Id = 1, Vectors = new[] { 1f, 0f, 0f }, Payload = { ["title"] = "one" } },
            new PointStruct { Id = 2, Vectors = new[] { 0f, 1f, 0f }, Payload = { ["title"] = "two" } },
            new PointStruct { Id = 3, Vectors = new[] { 0f, 0f, 1f }, Payload = { ["title"] = "three" } },
        ]);
        await client.CreateCollectionAsync("films", new VectorParams { Size = 3, Distance = Distance.Euclid });
    }

    public async Task DisposeAsync() => await _grpc.DisposeAsync();

    [Fact]
    public async Task Aliases_are_created_renamed_listed_searched_through_and_deleted()
    {
        using var client = _grpc.Client();
        await client.CreateAliasAsync("library", "books");
        await client.CreateAliasAsync("cinema", "films");

        var all = await client.ListAliasesAsync();
        Assert.Equal([("cinema", "films"), ("library", "books")], all.Select(a => (a.AliasName, a.CollectionName)).Order());
        Assert.Equal(["library"], await client.ListCollectionAliasesAsync("books"));
        Assert.Equal(["library"], await client.ListCollectionAliasesAsync("library"));

        // Every call that names a collection takes an alias.
        var hits = await client.QueryAsync("library", new[] { 0f, 0.9f, 0.1f }, limit: 1, payloadSelector: true);
        Assert.Equal(2UL, hits.Single().Id.Num);
        Assert.Equal("two", hits.Single().Payload["title"].StringValue);
        Assert.Equal(3UL, await client.CountAsync("library"));
        Assert.True(await client.CollectionExistsAsync("library"));
        Assert.Equal(3UL, (await client.GetCollectionInfoAsync("library")).PointsCount);
        await client.UpsertAsync("library", [new PointStruct { Id = 4, Vectors = new[] { 1f, 1f, 0f } }]);
        Assert.Equal(4UL, await client.CountAsync("books"));

        await client.RenameAliasAsync("library", "shelf");
        Assert.Equal(["shelf"], await client.ListCollectionAliasesAsync("books"));
        var gone = await Assert.ThrowsAsync<RpcException>(() => client.CountAsync("library"));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Equal(4UL, await client.CountAsync("shelf"));

        // REST sees the aliases gRPC made.
        var rest = await Rest.Ok(Rest.Get("/aliases"));
        Assert.Equal(["cinema", "shelf"], rest["result"]!["aliases"]!.AsArray().Select(a => a!["alias_name"]!.GetValue<string>()).Order());

        await client.DeleteAliasAsync("shelf");
        await client.DeleteAliasAsync("cinema");
        Assert.Empty(await client.ListAliasesAsync());
        Assert.Equal(4UL, await client.CountAsync("books"));
    }

    [Fact]
    public async Task Alias_changes_apply_all_or_nothing_with_Qdrants_errors()
    {
        using var client = _grpc.Client();
        await client.CreateAliasAsync("current", "books");

        // The second action names no collection, so the first one (moving "current") is not applied either.
        var failed = await Assert.ThrowsAsync<RpcException>(() => client.UpdateAliasesAsync([
            new AliasOperations { CreateAlias = new CreateAlias { AliasName = "current", CollectionName = "films" } },
            new AliasOperations { CreateAlias = new CreateAlias { AliasName = "other", CollectionName = "nowhere" } },
        ]));
        Assert.Equal(StatusCode.NotFound, failed.StatusCode);
        Assert.Equal("Not found: Collection `nowhere` doesn't exist!", failed.Status.Detail);
        Assert.Equal([("current", "books")], (await client.ListAliasesAsync()).Select(a => (a.AliasName, a.CollectionName)));

        var rename = await Assert.ThrowsAsync<RpcException>(() => client.RenameAliasAsync("missing", "new"));
        Assert.Equal(StatusCode.NotFound, rename.StatusCode);
        Assert.StartsWith("Not found: Alias missing does not exists!", rename.Status.Detail, StringComparison.Ordinal);

        var empty = await Assert.ThrowsAsync<RpcException>(() => client.UpdateAliasesAsync([new AliasOperations()]));
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.Contains("actions[0]", empty.Status.Detail, StringComparison.Ordinal);

        // Both moves in one call: applied together.
        await client.UpdateAliasesAsync([
            new AliasOperations { CreateAlias = new CreateAlias { AliasName = "current", CollectionName = "films" } },
            new AliasOperations { CreateAlias = new CreateAlias { AliasName = "previous", CollectionName = "books" } },
        ]);
        Assert.Equal([("current", "films"), ("previous", "books")], (await client.ListAliasesAsync()).Select(a => (a.AliasName, a.CollectionName)).Order());
        Assert.Equal(0UL, await client.CountAsync("current"));
    }

    [Fact]
    public async Task Snapshots_are_created_listed_and_deleted()
    {
        using var client = _grpc.Client();
        Assert.Empty(await client.ListSnapshotsAsync("books"));

        var made = await client.CreateSnapshotAsync("books");
        Assert.EndsWith(".snapshot", made.Name, StringComparison.Ordinal);
        Assert.True(made.Size > 0);
        Assert.Matches("^[0-9a-f]{64}$", made.Checksum);
        Assert.InRange(made.CreationTime.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        var listed = Assert.Single(await client.ListSnapshotsAsync("books"));
        Assert.Equal((made.Name, made.Size, made.Checksum), (listed.Name, listed.Size, listed.Checksum));
        Assert.Empty(await client.ListSnapshotsAsync("films"));

        // REST lists the same file, and a snapshot taken through an alias is the collection's.
        var rest = await Rest.Ok(Rest.Get("/collections/books/snapshots"));
        Assert.Equal(made.Name, Assert.Single(rest["result"]!.AsArray())!["name"]!.GetValue<string>());
        await client.CreateAliasAsync("library", "books");
        var throughAlias = await client.CreateSnapshotAsync("library");
        Assert.Equal(new[] { made.Name, throughAlias.Name }.Order(StringComparer.Ordinal), (await client.ListSnapshotsAsync("books")).Select(s => s.Name).Order(StringComparer.Ordinal));

        await client.DeleteSnapshotAsync("books", made.Name);
        Assert.Equal([throughAlias.Name], (await client.ListSnapshotsAsync("library")).Select(s => s.Name));
        var again = await Assert.ThrowsAsync<RpcException>(() => client.DeleteSnapshotAsync("books", made.Name));
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
        Assert.Contains($"Snapshot {made.Name} not found", again.Status.Detail, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.CreateSnapshotAsync("nowhere"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(3UL, await client.CountAsync("books"));
    }
}
