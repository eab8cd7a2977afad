using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Quiver.Cluster;
using Quiver.Server.Grpc;
using static Qdrant.Client.Grpc.Conditions;

// Qdrant.Client marks search and recommend obsolete in favour of query; applications still call them.
#pragma warning disable CS0618

namespace Quiver.Server.Tests;

/// <summary>
/// Three servers in cluster mode (as <see cref="ClusterApiTests"/>): a distributed collection bound to the test model
/// "bert" (3 shards × 2 replicas) takes text points and text queries, recommend and RAG context, and answers exactly as
/// a single-node collection of the same model holding the same points; Qdrant's gRPC services (Qdrant.Client) reach
/// distributed collections too.
/// </summary>
public sealed class ClusterTextApiTests : IAsyncLifetime
{
    // The test model's own words, so the texts differ in more than unknown tokens.
    private static readonly string[] Words = [.. ServerFixture.Words.Where(w => w is not ("." or "," or "a" or "of" or "is"))];

    private readonly string _data = Directory.CreateTempSubdirectory("quiver-cluster-text-").FullName;
    private readonly List<ServerFixture> _servers = [];

    public async Task InitializeAsync()
    {
        var ports = FreePorts(6);
        for (var i = 0; i < 3; i++)
        {
            var silo = new ClusterHostOptions($"silo-{i + 1}", ports[2 * i], ports[(2 * i) + 1], Redis: null, _data, ClusterId: "text-test", PrimarySiloPort: ports[0]);
            _servers.Add(new ServerFixture(o => o with { Cluster = silo, GrpcUrl = "http://127.0.0.1:0" }, loopback: true));
        }

        var management = _servers[0].App.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await management.GetHosts(onlyActive: true)).Count < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the three silos did not form a cluster within 60 s");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        for (var i = _servers.Count - 1; i >= 0; i--)
        {
            await _servers[i].DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder is harmless.
        }
    }

    [Fact]
    public async Task A_model_bound_distributed_collection_embeds_searches_recommends_and_gives_context_as_a_single_node_one_does()
    {
        var (a, b, c) = (_servers[0], _servers[1], _servers[2]);
        await a.Ok(a.Put("/collections/texts", new { model = "bert", shard_number = 3, replication_factor = 2 }));
        await a.Ok(a.Put("/collections/local", new { model = "bert" }));

        // Every server knows the model from the layout: the same model and revision as the single-node collection.
        var info = (await c.Ok(c.Get("/collections/texts")))["result"]!;
        var local = (await a.Ok(a.Get("/collections/local")))["result"]!;
        Assert.True(info["quiver"]!["distributed"]!.GetValue<bool>());
        Assert.Equal(local["quiver"]!["model"]!.GetValue<string>(), info["quiver"]!["model"]!.GetValue<string>());
        Assert.Equal(local["quiver"]!["revision"]!.GetValue<string>(), info["quiver"]!["revision"]!.GetValue<string>());
        Assert.Equal(local["config"]!["params"]!["vectors"]!.ToJsonString(), info["config"]!["params"]!["vectors"]!.ToJsonString());

        // Text points, embedded by the server that receives them (b for the distributed one, a for the single one).
        var random = new Random(11);
        var points = Enumerable.Range(1, 60).Select(i => new
        {
            id = i,
            text = string.Join(' ', Enumerable.Range(0, 3 + random.Next(6)).Select(_ => Words[random.Next(Words.Length)])),
            payload = new { path = $"doc-{i % 7}.md", group = i % 3 },
        }).ToList();
        foreach (var batch in points.Chunk(25))
        {
            await b.Ok(b.Put("/collections/texts/points", new { points = batch }));
            await a.Ok(a.Put("/collections/local/points", new { points = batch }));
        }

        // Qdrant's batch form, texts included.
        var columns = new { batch = new { ids = new[] { 61, 62 }, texts = new[] { "the whale swims in the sea", "the dog barks" }, payloads = new[] { new { path = "x.md" }, new { path = "y.md" } } } };
        await c.Ok(c.Put("/collections/texts/points", columns));
        await a.Ok(a.Put("/collections/local/points", columns));
        Assert.Equal(62, (await a.Ok(a.Post("/collections/texts/points/count", new { })))["result"]!["count"]!.GetValue<long>());

        // The stored points (vectors, payloads) are the same on both.
        var ask = new { ids = new[] { 1, 17, 42, 62 }, with_vector = true, with_payload = true };
        Assert.Equal(
            (await a.Ok(a.Post("/collections/local/points", ask)))["result"]!.ToJsonString(),
            (await c.Ok(c.Post("/collections/texts/points", ask)))["result"]!.ToJsonString());

        // Text search and text queries (both of Qdrant's forms), exact, filtered or not.
        foreach (var question in new[] { "whale sea", "frog in the pond", "the cat sat on the mat" })
        {
            var search = new { text = question, limit = 10, with_payload = true, @params = new { exact = true } };
            var expected = Hits((await a.Ok(a.Post("/collections/local/points/search", search)))["result"]!);
            Assert.Equal(10, expected.Count);
            Assert.Equal(expected, Hits((await c.Ok(c.Post("/collections/texts/points/search", search)))["result"]!));

            var filtered = new { query = new { text = question }, limit = 5, filter = new { must = new[] { new { key = "group", match = new { value = 1 } } } }, @params = new { exact = true } };
            Assert.Equal(
                Hits((await a.Ok(a.Post("/collections/local/points/query", filtered)))["result"]!["points"]!),
                Hits((await c.Ok(c.Post("/collections/texts/points/query", filtered)))["result"]!["points"]!));

            var plain = new { query = question, limit = 7, offset = 2, @params = new { exact = true } };
            Assert.Equal(
                Hits((await a.Ok(a.Post("/collections/local/points/query", plain)))["result"]!["points"]!),
                Hits((await b.Ok(b.Post("/collections/texts/points/query", plain)))["result"]!["points"]!));
        }

        // A query by a point's id leaves that point out, on both.
        var byId = new { query = 17, limit = 6, @params = new { exact = true } };
        var byIdHits = Hits((await c.Ok(c.Post("/collections/texts/points/query", byId)))["result"]!["points"]!);
        Assert.DoesNotContain(byIdHits, h => h.Id == 17);
        Assert.Equal(Hits((await a.Ok(a.Post("/collections/local/points/query", byId)))["result"]!["points"]!), byIdHits);

        // Recommend (average_vector): ids and vectors as examples, the ids left out of the answer.
        var example = (await a.Ok(a.Get("/collections/local/points/30")))["result"]!["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var recommend = new { positive = new object[] { 1, 2, example }, negative = new object[] { 3 }, limit = 8, with_payload = true, @params = new { exact = true } };
        var recommended = Hits((await c.Ok(c.Post("/collections/texts/points/recommend", recommend)))["result"]!);
        Assert.Equal(8, recommended.Count);
        Assert.DoesNotContain(recommended, h => h.Id is 1 or 2 or 3);
        Assert.Equal(Hits((await a.Ok(a.Post("/collections/local/points/recommend", recommend)))["result"]!), recommended);
        var inQuery = new { query = new { recommend = new { positive = new[] { 5 }, negative = new[] { 6 } } }, limit = 4, filter = new { must = new[] { new { key = "group", match = new { value = 2 } } } }, @params = new { exact = true } };
        Assert.Equal(
            Hits((await a.Ok(a.Post("/collections/local/points/query", inQuery)))["result"]!["points"]!),
            Hits((await b.Ok(b.Post("/collections/texts/points/query", inQuery)))["result"]!["points"]!));

        // The batch routes: each entry answered in order as the single-node collection answers it.
        var searches = new object[]
        {
            new { text = "whale sea", limit = 5, @params = new { exact = true } },
            new { vector = example, limit = 4, filter = new { must = new[] { new { key = "group", match = new { value = 1 } } } }, @params = new { exact = true } },
        };
        var searched = (await b.Ok(b.Post("/collections/texts/points/search/batch", new { searches })))["result"]!.AsArray();
        var searchedHere = (await a.Ok(a.Post("/collections/local/points/search/batch", new { searches })))["result"]!.AsArray();
        Assert.Equal(2, searched.Count);
        Assert.Equal(searchedHere.Select(r => Hits(r!)), searched.Select(r => Hits(r!)));
        var queries = new object[] { byId, inQuery, new { query = "frog in the pond", limit = 3, @params = new { exact = true } } };
        var queried = (await c.Ok(c.Post("/collections/texts/points/query/batch", new { searches = queries })))["result"]!.AsArray();
        var queriedHere = (await a.Ok(a.Post("/collections/local/points/query/batch", new { searches = queries })))["result"]!.AsArray();
        Assert.Equal(3, queried.Count);
        Assert.Equal(queriedHere.Select(r => Hits(r!["points"]!)), queried.Select(r => Hits(r!["points"]!)));
        var recommendations = new object[] { recommend, new { positive = new[] { 7 }, limit = 3, @params = new { exact = true } } };
        var batchRecommended = (await a.Ok(a.Post("/collections/texts/points/recommend/batch", new { searches = recommendations })))["result"]!.AsArray();
        Assert.Equal(recommended, Hits(batchRecommended[0]!));
        Assert.Equal(
            (await a.Ok(a.Post("/collections/local/points/recommend/batch", new { searches = recommendations })))["result"]!.AsArray().Select(r => Hits(r!)),
            batchRecommended.Select(r => Hits(r!)));

        // An entry's error names its place in the batch, as on a single-node collection.
        var badBatch = new { searches = new object[] { new { text = "whale", limit = 2 }, new { text = "whale", limit = 0 } } };
        var (badStatus, badBody) = await b.Post("/collections/texts/points/search/batch", badBatch);
        var (singleStatus, singleBody) = await a.Post("/collections/local/points/search/batch", badBatch);
        Assert.Equal(400, badStatus);
        Assert.Equal(singleStatus, badStatus);
        Assert.Contains("searches[1].limit", badBody!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(singleBody!["status"]!.ToJsonString(), badBody["status"]!.ToJsonString());

        // RAG context, keyword (the whole collection's BM25), dense and hybrid with MMR: the same passages and scores.
        foreach (var mode in new[] { "keyword", "dense", "hybrid" })
        {
            var question = new { question = "whale ship sails", mode, budget_tokens = 100_000, candidates = 15 };
            var single = (await a.Ok(a.Post("/collections/local/context", question)))["result"]!;
            var spread = (await c.Ok(c.Post("/collections/texts/context", question)))["result"]!;
            var expected = Hits(single["passages"]!);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Hits(spread["passages"]!));
            Assert.Equal(
                single["passages"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).Order(StringComparer.Ordinal),
                spread["passages"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            Assert.Equal(single["used_tokens"]!.GetValue<int>(), spread["used_tokens"]!.GetValue<int>());
        }

        // Refusals that name the problem: a strategy not served in cluster mode, text on a collection with no model,
        // a model whose size disagrees, a missing distance; nothing is written by any of them.
        var (status, refused) = await c.Post("/collections/texts/points/recommend", new { positive = new[] { 1 }, strategy = "best_score" });
        Assert.Equal(400, status);
        Assert.Contains("best_score is not yet supported", refused!.ToJsonString(), StringComparison.Ordinal);
        await a.Ok(a.Put("/collections/raw", new { vectors = new { size = 4, distance = "Dot" }, shard_number = 2 }));
        (status, refused) = await b.Put("/collections/raw/points", new { points = new[] { new { id = 1, text = "a whale" } } });
        Assert.Equal(400, status);
        Assert.Contains("has no model to embed text with", refused!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(0, (await b.Ok(b.Post("/collections/raw/points/count", new { })))["result"]!["count"]!.GetValue<long>());
        (status, refused) = await a.Put("/collections/wrong", new { model = "bert", vectors = new { size = 3, distance = "Cosine" }, shard_number = 2 });
        Assert.Equal(400, status);
        Assert.Contains("vectors.size", refused!.ToJsonString(), StringComparison.Ordinal);
        (status, refused) = await a.Put("/collections/wrong", new { vectors = new { size = 3 }, replication_factor = 1 });
        Assert.Equal(400, status);
        Assert.Contains("vectors.distance", refused!.ToJsonString(), StringComparison.Ordinal);
        Assert.False((await a.Ok(a.Get("/collections/wrong/exists")))["result"]!["exists"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Qdrant_Client_over_gRPC_reaches_a_distributed_collection_and_it_answers_as_a_single_node_one_does()
    {
        var (a, c) = (_servers[0], _servers[2]);
        using var client = new QdrantClient("127.0.0.1", c.App.Services.GetRequiredService<GrpcListener>().Port, https: false);
        using var other = new QdrantClient("127.0.0.1", a.App.Services.GetRequiredService<GrpcListener>().Port, https: false);
        await client.CreateCollectionAsync("spread", new VectorParams { Size = 8, Distance = Distance.Cosine }, shardNumber: 3, replicationFactor: 2);
        await other.CreateCollectionAsync("single", new VectorParams { Size = 8, Distance = Distance.Cosine });

        // It is a distributed collection, seen by every server, over REST and gRPC.
        var rest = (await a.Ok(a.Get("/collections/spread")))["result"]!;
        Assert.True(rest["quiver"]!["distributed"]!.GetValue<bool>());
        Assert.True(await other.CollectionExistsAsync("spread"));
        var described = await other.GetCollectionInfoAsync("spread");
        Assert.Equal(3u, described.Config.Params.ShardNumber);
        Assert.Equal(2u, described.Config.Params.ReplicationFactor);

        var random = new Random(3);
        var points = Enumerable.Range(1, 90).Select(i => new PointStruct
        {
            Id = (ulong)i,
            Vectors = Enumerable.Range(0, 8).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
            Payload = { ["colour"] = i % 3 == 0 ? "red" : "blue", ["rank"] = (long)i },
        }).ToList();
        await client.UpsertAsync("spread", points);
        await other.UpsertAsync("single", points);
        await other.DeleteAsync("spread", [4UL, 50UL]);
        await other.DeleteAsync("single", [4UL, 50UL]);

        Assert.Equal(88UL, await client.CountAsync("spread"));
        Assert.Equal(await other.CountAsync("single", MatchKeyword("colour", "red")), await client.CountAsync("spread", MatchKeyword("colour", "red")));
        Assert.Equal(88UL, (await other.GetCollectionInfoAsync("spread")).PointsCount);

        for (var q = 0; q < 4; q++)
        {
            var query = Enumerable.Range(0, 8).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var exact = new SearchParams { Exact = true };
            Assert.Equal(
                Scored(await other.SearchAsync("single", query, limit: 9, searchParams: exact)),
                Scored(await client.SearchAsync("spread", query, limit: 9, searchParams: exact)));
            Assert.Equal(
                Scored(await other.SearchAsync("single", query, filter: MatchKeyword("colour", "blue"), limit: 5, offset: 1, searchParams: exact)),
                Scored(await client.SearchAsync("spread", query, filter: MatchKeyword("colour", "blue"), limit: 5, offset: 1, searchParams: exact)));
            Assert.Equal(
                Scored(await other.QueryAsync("single", query, limit: 6, searchParams: exact)),
                Scored(await client.QueryAsync("spread", query, limit: 6, searchParams: exact)));
        }

        var byId = await client.QueryAsync("spread", new PointId { Num = 12 }, limit: 5, searchParams: new SearchParams { Exact = true });
        Assert.DoesNotContain(byId, h => h.Id.Num == 12);
        Assert.Equal(Scored(await other.QueryAsync("single", new PointId { Num = 12 }, limit: 5, searchParams: new SearchParams { Exact = true })), Scored(byId));
        Assert.Equal(
            Scored(await other.RecommendAsync("single", [new PointId { Num = 3 }, new PointId { Num = 7 }], [new PointId { Num = 30 }], limit: 6, searchParams: new SearchParams { Exact = true })),
            Scored(await client.RecommendAsync("spread", [new PointId { Num = 3 }, new PointId { Num = 7 }], [new PointId { Num = 30 }], limit: 6, searchParams: new SearchParams { Exact = true })));

        // Retrieve with payload and vectors; a deleted point is not there.
        var got = await client.RetrieveAsync("spread", [new PointId { Num = 9 }, new PointId { Num = 4 }, new PointId { Num = 77 }], withPayload: true, withVectors: true);
        var expected = await other.RetrieveAsync("single", [new PointId { Num = 9 }, new PointId { Num = 4 }, new PointId { Num = 77 }], withPayload: true, withVectors: true);
        Assert.Equal([9UL, 77UL], got.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(p => p.ToString()), got.Select(p => p.ToString()));

        // Scroll page by page: the same ids and offsets as the single-node collection.
        Assert.Equal(await ScrollAll(other, "single"), await ScrollAll(client, "spread"));

        // Refused as over REST: delete by filter is not yet served on a distributed collection; nothing is deleted.
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.DeleteAsync("spread", MatchKeyword("colour", "red")));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("not yet supported", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(88UL, await client.CountAsync("spread"));
    }

    // Hits as (id, score); hits of equal score are put in id order, since a single collection breaks such ties by
    // insertion order and a distributed one by id (README, "Scale-out").
    private static List<(int Id, float Score)> Hits(JsonNode result) =>
        [.. result.AsArray().Select(h => (h!["id"]!.GetValue<int>(), h["score"]!.GetValue<float>()))
            .GroupBy(h => h.Item2).SelectMany(g => g.OrderBy(h => h.Item1))];

    private static List<(ulong Id, float Score)> Scored(IEnumerable<ScoredPoint> hits) => [.. hits.Select(h => (h.Id.Num, h.Score))];

    private static async Task<List<List<ulong>>> ScrollAll(QdrantClient client, string collection)
    {
        var pages = new List<List<ulong>>();
        PointId? offset = null;
        do
        {
            var page = await client.ScrollAsync(collection, limit: 20, offset: offset);
            pages.Add([.. page.Result.Select(p => p.Id.Num)]);
            offset = page.NextPageOffset;
        }
        while (offset is not null);
        return pages;
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
