using System.Text.Json.Nodes;

namespace Quiver.Server.Tests;

/// <summary>
/// POST /collections/{name}/points/recommend (and recommend/batch, query with {"recommend": …}) against a brute-force reading of Qdrant's definitions (its reco_query.rs):
/// average_vector searches avg(pos) + (avg(pos) − avg(neg)); best_score is s(p) if the best positive similarity p
/// beats the best negative n, else −s(n), with s(x) = (x / (1 + |x|) + 1) / 2; sum_scores is Σ pos − Σ neg.
/// </summary>
public sealed class RecommendApiTests : IAsyncLifetime
{
    private const int Dims = 6;
    private readonly Dictionary<long, float[]> _points = [];
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture();
        var random = new Random(5);
        for (var id = 1; id <= 40; id++)
        {
            // Unit vectors, as a cosine collection stores them (examples given by id are the stored vectors).
            var v = Enumerable.Range(0, Dims).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var norm = (float)Math.Sqrt(v.Sum(x => x * (double)x));
            _points[id] = v.Select(x => x / norm).ToArray();
        }

        await _server.Ok(_server.Put("/collections/reco", new { vectors = new { size = Dims, distance = "Cosine" } }));
        await _server.Ok(_server.Put("/collections/reco/points?wait=true", new
        {
            points = _points.Select(p => new { id = p.Key, vector = p.Value, payload = new { odd = p.Key % 2 == 1 } }).ToArray(),
        }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    private static double Sigmoid(double x) => 0.5 * ((x / (1 + Math.Abs(x))) + 1);

    private List<(long Id, double Score)> Expected(string strategy, long[] positive, long[] negative, float[]? extraNegative, Func<long, bool> allowed, int limit)
    {
        var pos = positive.Select(i => _points[i]).ToList();
        var neg = negative.Select(i => _points[i]).Concat(extraNegative is null ? [] : [extraNegative]).ToList();
        double Score(float[] v) => strategy switch
        {
            "best_score" => pos.Select(p => Cosine(v, p)).DefaultIfEmpty(double.NegativeInfinity).Max() is var p && neg.Select(n => Cosine(v, n)).DefaultIfEmpty(double.NegativeInfinity).Max() is var n
                ? (p > n ? Sigmoid(p) : -Sigmoid(n))
                : 0,
            "sum_scores" => pos.Sum(p => Cosine(v, p)) - neg.Sum(n => Cosine(v, n)),
            _ => Cosine(v, Average(pos, neg)),
        };
        return _points.Where(p => !positive.Contains(p.Key) && !negative.Contains(p.Key) && allowed(p.Key))
            .Select(p => (p.Key, Score(p.Value))).OrderByDescending(x => x.Item2).Take(limit).ToList();
    }

    private static float[] Average(List<float[]> pos, List<float[]> neg)
    {
        var avg = Enumerable.Range(0, Dims).Select(d => pos.Average(p => p[d])).ToArray();
        if (neg.Count == 0)
        {
            return avg.Select(x => (float)x).ToArray();
        }

        var avgNeg = Enumerable.Range(0, Dims).Select(d => neg.Average(n => n[d])).ToArray();
        return Enumerable.Range(0, Dims).Select(d => (float)(avg[d] + avg[d] - avgNeg[d])).ToArray();
    }

    [Theory]
    [InlineData("average_vector")]
    [InlineData("best_score")]
    [InlineData("sum_scores")]
    public async Task Each_strategy_equals_a_brute_force_reading_of_Qdrants_definition(string strategy)
    {
        var vector = _points[7].Select(x => -x).ToArray();
        var body = new { positive = new object[] { 3, 11 }, negative = new object[] { 20, vector }, strategy, limit = 8, filter = new { must = new[] { new { key = "odd", match = new { value = true } } } }, with_payload = true };

        var result = (await _server.Ok(_server.Post("/collections/reco/points/recommend", body)))["result"]!.AsArray();

        var expected = Expected(strategy, [3, 11], [20], vector, id => id % 2 == 1, 8);
        Assert.Equal(expected.Select(e => e.Id), result.Select(r => r!["id"]!.GetValue<long>()));
        if (strategy != "average_vector")
        {
            Assert.Equal(expected.Select(e => e.Score), result.Select(r => (double)r!["score"]!.GetValue<float>()), new ToleranceComparer(1e-5));
        }

        Assert.DoesNotContain(result, r => r!["id"]!.GetValue<long>() is 3 or 11);
        Assert.All(result, r => Assert.True(r!["payload"]!["odd"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Negatives_alone_work_with_best_score_and_bad_examples_are_named()
    {
        var onlyNegative = (await _server.Ok(_server.Post("/collections/reco/points/recommend", new { negative = new[] { 5 }, strategy = "best_score", limit = 3 })))["result"]!.AsArray();
        Assert.Equal(Expected("best_score", [], [5], null, _ => true, 3).Select(e => e.Id), onlyNegative.Select(r => r!["id"]!.GetValue<long>()));

        var noPositive = await _server.Post("/collections/reco/points/recommend", new { negative = new[] { 5 } });
        var unknown = await _server.Post("/collections/reco/points/recommend", new { positive = new[] { 999 } });
        var wrongSize = await _server.Post("/collections/reco/points/recommend", new { positive = new object[] { new[] { 1f, 2f } } });
        var strategy = await _server.Post("/collections/reco/points/recommend", new { positive = new[] { 1 }, strategy = "median" });
        var named = await _server.Post("/collections/reco/points/recommend", new { positive = new[] { 1 }, @using = "image" });

        Assert.Equal(400, noPositive.Status);
        Assert.Contains("Positive vectors should not be empty", noPositive.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, unknown.Status);
        Assert.Contains("No point with id 999 found", unknown.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, wrongSize.Status);
        Assert.Contains("expected dim: 6, got 2", wrongSize.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, strategy.Status);
        Assert.Contains("average_vector, best_score or sum_scores", strategy.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, named.Status);
    }

    [Fact]
    public async Task Recommend_batch_and_query_recommend_answer_as_the_single_route_does()
    {
        var first = new { positive = new[] { 3, 11 }, negative = new[] { 20 }, limit = 5 };
        var second = new { positive = new[] { 8 }, negative = new[] { 9 }, strategy = "best_score", limit = 4, offset = 1, filter = new { must = new[] { new { key = "odd", match = new { value = false } } } } };
        var singleFirst = Ids((await _server.Ok(_server.Post("/collections/reco/points/recommend", first)))["result"]!);
        var singleSecond = Ids((await _server.Ok(_server.Post("/collections/reco/points/recommend", second)))["result"]!);

        var batch = (await _server.Ok(_server.Post("/collections/reco/points/recommend/batch", new { searches = new object[] { first, second } })))["result"]!.AsArray();
        var query = (await _server.Ok(_server.Post("/collections/reco/points/query", new
        {
            query = new { recommend = new { positive = new[] { 8 }, negative = new[] { 9 }, strategy = "best_score" } },
            limit = 4,
            offset = 1,
            filter = second.filter,
        })))["result"]!["points"]!;
        var queryBatch = (await _server.Ok(_server.Post("/collections/reco/points/query/batch", new
        {
            searches = new object[] { new { query = new { recommend = new { positive = new[] { 3, 11 }, negative = new[] { 20 } } }, limit = 5 }, new { query = _points[4], limit = 3 } },
        })))["result"]!.AsArray();

        Assert.Equal(2, batch.Count);
        Assert.Equal(singleFirst, Ids(batch[0]!));
        Assert.Equal(singleSecond, Ids(batch[1]!));
        Assert.Equal(Expected("best_score", [8], [9], null, id => id % 2 == 0, 5).Skip(1).Select(e => e.Id), Ids(query));
        Assert.Equal(singleFirst, Ids(queryBatch[0]!["points"]!));
        Assert.Equal(4, Ids(queryBatch[1]!["points"]!)[0]);
    }

    [Fact]
    public async Task Search_batch_answers_each_search_in_order_and_names_a_bad_entry()
    {
        var a = new { vector = _points[5], limit = 3 };
        var b = new { vector = _points[6], limit = 2, filter = new { must = new[] { new { key = "odd", match = new { value = true } } } } };
        var batch = (await _server.Ok(_server.Post("/collections/reco/points/search/batch", new { searches = new object[] { a, b } })))["result"]!.AsArray();

        Assert.Equal(Ids((await _server.Ok(_server.Post("/collections/reco/points/search", a)))["result"]!), Ids(batch[0]!));
        Assert.Equal(Ids((await _server.Ok(_server.Post("/collections/reco/points/search", b)))["result"]!), Ids(batch[1]!));
        Assert.Equal(5, Ids(batch[0]!)[0]);

        var badLimit = await _server.Post("/collections/reco/points/search/batch", new { searches = new object[] { a, new { vector = _points[1], limit = 0 } } });
        var badExample = await _server.Post("/collections/reco/points/recommend/batch", new { searches = new object[] { new { positive = new[] { 1 } }, new { positive = new[] { 999 } } } });
        var badQuery = await _server.Post("/collections/reco/points/query", new { query = new { recommend = new { positive = new[] { 1 }, strategy = "median" } } });
        var empty = await _server.Post("/collections/reco/points/search/batch", new { searches = Array.Empty<object>() });
        var missing = await _server.Post("/collections/reco/points/query/batch", new { });

        Assert.Equal(400, badLimit.Status);
        Assert.Contains("searches[1].limit", badLimit.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, badExample.Status);
        Assert.Contains("searches[1].positive[0]", badExample.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, badQuery.Status);
        Assert.Contains("query.recommend.strategy", badQuery.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, empty.Status);
        Assert.Equal(400, missing.Status);
        Assert.Contains("searches", missing.Body!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static List<long> Ids(JsonNode hits) => [.. hits.AsArray().Select(r => r!["id"]!.GetValue<long>())];

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
