using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

// Qdrant.Client marks search, search batch, groups and recommend obsolete in favour of query; applications written
// against it still call them, so the server serves them and these tests call them as those applications do.
#pragma warning disable CS0618

namespace Quiver.Server.Tests;

/// <summary>
/// The official Qdrant .NET client (Qdrant.Client, gRPC only) against `quiver serve`'s gRPC port, called as a .NET
/// application would call Qdrant: collections, upsert, search, query, scroll, count, payload edits, retrieve, delete,
/// recommend, field indexes and the health check. Answers are checked against brute force and against the REST routes.
/// </summary>
public sealed class GrpcClientTests : IAsyncLifetime
{
    private const int Dims = 8;
    private readonly Dictionary<ulong, float[]> _vectors = [];
    private GrpcServer _grpc = null!;

    private ServerFixture Rest => _grpc.Server;

    public async Task InitializeAsync()
    {
        _grpc = new GrpcServer();
        var random = new Random(7);
        for (ulong id = 1; id <= 60; id++)
        {
            _vectors[id] = [.. Enumerable.Range(0, Dims).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        }

        using var client = _grpc.Client();
        await client.CreateCollectionAsync("things", new VectorParams { Size = Dims, Distance = Distance.Cosine });
        await client.UpsertAsync("things", [.. _vectors.Select(v => new PointStruct
        {
            Id = v.Key,
            Vectors = v.Value,
            Payload = { ["colour"] = v.Key % 3 == 0 ? "red" : "blue", ["rank"] = (long)v.Key, ["weight"] = v.Key / 4.0 },
        })]);
    }

    public async Task DisposeAsync() => await _grpc.DisposeAsync();

    [Fact]
    public async Task Collections_are_created_listed_described_and_deleted()
    {
        using var client = _grpc.Client();
        Assert.True(await client.CollectionExistsAsync("things"));
        Assert.False(await client.CollectionExistsAsync("nothing"));
        await client.CreateCollectionAsync("scratch", new VectorParams { Size = 3, Distance = Distance.Dot }, hnswConfig: new HnswConfigDiff { M = 8, EfConstruct = 40 });
        Assert.Equal(["scratch", "things"], (await client.ListCollectionsAsync()).Order(StringComparer.Ordinal));

        var info = await client.GetCollectionInfoAsync("scratch");
        Assert.Equal(3UL, info.Config.Params.VectorsConfig.Params.Size);
        Assert.Equal(Distance.Dot, info.Config.Params.VectorsConfig.Params.Distance);
        Assert.Equal(8UL, info.Config.HnswConfig.M);
        Assert.Equal(40UL, info.Config.HnswConfig.EfConstruct);
        Assert.Equal(60UL, (await client.GetCollectionInfoAsync("things")).PointsCount);

        // REST sees what gRPC made.
        var rest = await Rest.Ok(Rest.Get("/collections/scratch"));
        Assert.Equal("Dot", rest["result"]!["config"]!["params"]!["vectors"]!["distance"]!.GetValue<string>());

        await client.DeleteCollectionAsync("scratch");
        Assert.False(await client.CollectionExistsAsync("scratch"));
        var again = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("things", new VectorParams { Size = Dims, Distance = Distance.Cosine }));
        Assert.Equal(StatusCode.InvalidArgument, again.StatusCode);
        Assert.Contains("Collection `things` already exists!", again.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_finds_the_exact_nearest_points_and_answers_as_the_REST_route_does()
    {
        using var client = _grpc.Client();
        var query = _vectors[5].Select(x => -x * 0.5f).ToArray();
        var found = await client.SearchAsync("things", query, limit: 5, searchParams: new SearchParams { Exact = true });
        var expected = _vectors.OrderByDescending(v => Cosine(v.Value, query)).Take(5).Select(v => v.Key).ToList();
        Assert.Equal(expected, found.Select(h => h.Id.Num));
        Assert.Equal(Cosine(_vectors[expected[0]], query), found[0].Score, 4);

        var red = await client.SearchAsync("things", query, filter: MatchKeyword("colour", "red"), limit: 3, payloadSelector: true, vectorsSelector: true);
        Assert.All(red, h => Assert.Equal("red", h.Payload["colour"].StringValue));
        Assert.Equal(_vectors[red[0].Id.Num].Select(x => x / Norm(_vectors[red[0].Id.Num])), red[0].Vectors.Vector.Dense.Data, new FloatClose());

        var rest = await Rest.Ok(Rest.Post("/collections/things/points/search", new { vector = query, limit = 3, filter = new { must = new[] { new { key = "colour", match = new { value = "red" } } } } }));
        Assert.Equal(
            rest["result"]!.AsArray().Select(h => (h!["id"]!.GetValue<ulong>(), h["score"]!.GetValue<float>())),
            red.Select(h => (h.Id.Num, h.Score)));

        var ranged = await client.SearchAsync("things", query, filter: Range("rank", new Qdrant.Client.Grpc.Range { Gte = 10, Lt = 20 }), limit: 50, offset: 2, scoreThreshold: -1f);
        Assert.All(ranged, h => Assert.InRange(h.Id.Num, 10UL, 19UL));
        Assert.Equal(8, ranged.Count);

        var batch = await client.SearchBatchAsync("things", [new SearchPoints { Vector = { query }, Limit = 2 }, new SearchPoints { Vector = { _vectors[9] }, Limit = 1 }]);
        Assert.Equal(expected.Take(2), batch[0].Result.Select(h => h.Id.Num));
        Assert.Equal(9UL, batch[1].Result.Single().Id.Num);
    }

    [Fact]
    public async Task Query_takes_a_vector_a_point_id_or_nothing()
    {
        using var client = _grpc.Client();
        var byVector = await client.QueryAsync("things", _vectors[12], limit: 3);
        Assert.Equal(12UL, byVector[0].Id.Num);

        // A point id as the query: its neighbours, without the point itself.
        var byId = await client.QueryAsync("things", new PointId { Num = 12 }, limit: 3, payloadSelector: true);
        Assert.DoesNotContain(byId, h => h.Id.Num == 12);
        Assert.Equal(_vectors.Where(v => v.Key != 12).OrderByDescending(v => Cosine(v.Value, _vectors[12])).Take(3).Select(v => v.Key), byId.Select(h => h.Id.Num));
        Assert.All(byId, h => Assert.Equal(h.Id.Num % 3 == 0 ? "red" : "blue", h.Payload["colour"].StringValue));

        var first5 = await client.QueryAsync("things", limit: 5);
        Assert.Equal([1UL, 2, 3, 4, 5], first5.Select(h => h.Id.Num));

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("things", new PointId { Num = 999 }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("No point with id 999 found", missing.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scroll_count_and_retrieve_page_through_the_points()
    {
        using var client = _grpc.Client();
        Assert.Equal(60UL, await client.CountAsync("things"));
        Assert.Equal(20UL, await client.CountAsync("things", MatchKeyword("colour", "red")));

        var seen = new List<ulong>();
        PointId? offset = null;
        do
        {
            var page = await client.ScrollAsync("things", MatchKeyword("colour", "blue"), limit: 15, offset: offset);
            seen.AddRange(page.Result.Select(p => p.Id.Num));
            Assert.All(page.Result, p => Assert.Equal("blue", p.Payload["colour"].StringValue));
            offset = page.NextPageOffset;
        }
        while (offset is not null);
        Assert.Equal(_vectors.Keys.Where(k => k % 3 != 0).Order(), seen);

        var got = await client.RetrieveAsync("things", [new PointId { Num = 4 }, new PointId { Num = 77 }], withPayload: true, withVectors: true);
        var four = Assert.Single(got);
        Assert.Equal(4L, four.Payload["rank"].IntegerValue);
        Assert.Equal(1.0, four.Payload["weight"].DoubleValue);
        Assert.Equal(Dims, four.Vectors.Vector.Dense.Data.Count);
    }

    [Fact]
    public async Task Payloads_are_set_overwritten_trimmed_and_cleared_and_points_deleted()
    {
        using var client = _grpc.Client();
        await client.SetPayloadAsync("things", new Dictionary<string, Value> { ["tag"] = "new", ["nested"] = new Value { StructValue = new Struct { Fields = { ["a"] = 1L } } } }, id: 7UL);
        var seven = (await client.RetrieveAsync("things", 7UL)).Single();
        Assert.Equal("new", seven.Payload["tag"].StringValue);
        Assert.Equal("blue", seven.Payload["colour"].StringValue);
        Assert.Equal(1L, seven.Payload["nested"].StructValue.Fields["a"].IntegerValue);

        await client.OverwritePayloadAsync("things", new Dictionary<string, Value> { ["only"] = true }, id: 7UL);
        Assert.Equal(["only"], (await client.RetrieveAsync("things", 7UL)).Single().Payload.Keys);

        await client.DeletePayloadAsync("things", ["colour"], MatchKeyword("colour", "red"));
        Assert.Equal(0UL, await client.CountAsync("things", MatchKeyword("colour", "red")));
        Assert.Equal(39UL, await client.CountAsync("things", MatchKeyword("colour", "blue")));

        await client.ClearPayloadAsync("things", 8UL);
        Assert.Empty((await client.RetrieveAsync("things", 8UL)).Single().Payload);

        await client.DeleteAsync("things", [1UL, 2UL]);
        await client.DeleteAsync("things", Range("rank", new Qdrant.Client.Grpc.Range { Gte = 50 }));
        Assert.Equal(60UL - 2 - 11, await client.CountAsync("things"));

        // REST reads the same stored payload.
        var rest = await Rest.Ok(Rest.Get("/collections/things/points/7"));
        Assert.Equal("{\"only\":true}", rest["result"]!["payload"]!.ToJsonString());
    }

    [Fact]
    public async Task Recommend_answers_as_the_REST_route_does_and_field_indexes_show_in_the_schema()
    {
        using var client = _grpc.Client();
        foreach (var strategy in new[] { RecommendStrategy.AverageVector, RecommendStrategy.BestScore, RecommendStrategy.SumScores })
        {
            var grpc = await client.RecommendAsync("things", [new PointId { Num = 3 }, new PointId { Num = 4 }], [new PointId { Num = 30 }], strategy: strategy, limit: 5);
            var name = strategy switch { RecommendStrategy.BestScore => "best_score", RecommendStrategy.SumScores => "sum_scores", _ => "average_vector" };
            var rest = await Rest.Ok(Rest.Post("/collections/things/points/recommend", new { positive = new[] { 3, 4 }, negative = new[] { 30 }, strategy = name, limit = 5 }));
            Assert.Equal(rest["result"]!.AsArray().Select(h => h!["id"]!.GetValue<ulong>()), grpc.Select(h => h.Id.Num));
            Assert.DoesNotContain(grpc, h => h.Id.Num is 3 or 4 or 30);
        }

        await client.CreatePayloadIndexAsync("things", "rank", PayloadSchemaType.Integer);
        await client.CreatePayloadIndexAsync("things", "colour");
        var schema = (await client.GetCollectionInfoAsync("things")).PayloadSchema;
        Assert.Equal(PayloadSchemaType.Integer, schema["rank"].DataType);
        Assert.Equal(PayloadSchemaType.Keyword, schema["colour"].DataType);
        var geo = await Assert.ThrowsAsync<RpcException>(() => client.CreatePayloadIndexAsync("things", "where", PayloadSchemaType.Geo));
        Assert.Equal(StatusCode.InvalidArgument, geo.StatusCode);
        Assert.Equal("field_schema: 'geo' payload indexes are not supported; use keyword, integer, float or bool.", geo.Status.Detail);
    }

    [Fact]
    public async Task Text_documents_are_embedded_by_the_collection_model_on_upsert_and_query()
    {
        await Rest.Ok(Rest.Put("/collections/texts", new { model = "bert" }));
        using var client = _grpc.Client();
        string[] texts = ["the whale swims in the sea", "the frog jumps in the pond", "the dog barks"];
        await client.UpsertAsync("texts", [.. texts.Select((t, i) => new PointStruct { Id = (ulong)i + 1, Vectors = new Vectors { Vector = new Vector { Document = new Document { Text = t, Model = "bert" } } } })]);
        var hits = await client.QueryAsync("texts", new Query { Nearest = new VectorInput { Document = new Document { Text = "the frog jumps in the pond" } } }, limit: 1);
        Assert.Equal(2UL, hits.Single().Id.Num);

        // The same text over REST finds the same point with the same score.
        var rest = await Rest.Ok(Rest.Post("/collections/texts/points/query", new { query = new { text = "the frog jumps in the pond" }, limit = 1 }));
        Assert.Equal(hits[0].Score, rest["result"]!["points"]![0]!["score"]!.GetValue<float>(), 5);
    }

    [Fact]
    public async Task Bad_requests_get_the_REST_messages_under_gRPC_status_codes()
    {
        using var client = _grpc.Client();
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.SearchAsync("nowhere", new float[Dims]));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Not found: Collection `nowhere` doesn't exist!", missing.Status.Detail);

        var (_, restBody) = await Rest.Post("/collections/things/points/search", new { vector = new float[3], limit = 1 });
        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.SearchAsync("things", new float[3]));
        Assert.Equal(StatusCode.InvalidArgument, wrong.StatusCode);
        Assert.Equal(restBody!["status"]!["error"]!.GetValue<string>(), wrong.Status.Detail);

        var named = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("named", new VectorParamsMap { Map = { ["a"] = new VectorParams { Size = 2, Distance = Distance.Cosine } } }));
        Assert.Equal(StatusCode.InvalidArgument, named.StatusCode);
        Assert.Contains("named vectors are not supported", named.Status.Detail, StringComparison.Ordinal);

        var geo = await Assert.ThrowsAsync<RpcException>(() => client.CountAsync("things", GeoRadius("at", 1, 2, 3)));
        Assert.Equal("filter.must[0].geo_radius: the 'geo_radius' condition is not supported by Quiver; filter on payload fields with match or range.", geo.Status.Detail);

        var full = await Assert.ThrowsAsync<RpcException>(() => client.CreateFullSnapshotAsync());
        Assert.Equal(StatusCode.Unimplemented, full.StatusCode);
        Assert.Contains("Full-storage snapshots are not in Quiver", full.Status.Detail, StringComparison.Ordinal);

        var discover = await Assert.ThrowsAsync<RpcException>(() => client.SearchGroupsAsync("things", new float[Dims], "colour"));
        Assert.Equal(StatusCode.Unimplemented, discover.StatusCode);
        Assert.Contains("Quiver does not serve /qdrant.Points/SearchGroups over gRPC", discover.Status.Detail, StringComparison.Ordinal);

        // Nothing of the refused calls was stored.
        Assert.Equal(60UL, await client.CountAsync("things"));
        Assert.Equal(["things"], await client.ListCollectionsAsync());
    }

    [Fact]
    public async Task The_health_check_answers()
    {
        using var client = _grpc.Client();
        var health = await client.HealthAsync();
        Assert.StartsWith("quiver", health.Title, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(health.Version));
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum() / (Norm(a) * Norm(b));

    private static float Norm(float[] v) => (float)Math.Sqrt(v.Sum(x => (double)x * x));

    private sealed class FloatClose : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) < 1e-5;

        public int GetHashCode(float obj) => 0;
    }
}
