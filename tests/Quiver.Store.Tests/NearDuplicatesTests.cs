using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Duplicates;
using Quiver.Store.Filtering;

namespace Quiver.Store.Tests;

public sealed class NearDuplicatesTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CollectionStore _store;

    public NearDuplicatesTests() => _store = new CollectionStore(_folder.Path);

    public void Dispose() => _folder.Dispose();

    private static float[] Random(Random random, int dims = 32) => Enumerable.Range(0, dims).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    private static float[] Near(float[] v, Random random, double noise) => v.Select(x => x + (float)(((random.NextDouble() * 2) - 1) * noise)).ToArray();

    [Fact]
    public void Pairs_above_the_threshold_join_into_groups_and_the_first_id_is_kept()
    {
        var random = new Random(11);
        using var collection = _store.Create("d", new CollectionOptions(EmbeddingSpace.Raw(32, DistanceMetric.Cosine)));
        var points = Enumerable.Range(0, 60).Select(i => new Point((i + 10).ToString(), Random(random), new JsonObject { ["lang"] = i % 2 == 0 ? "en" : "fr" })).ToList();
        var a = points[0].Vector;
        var b = points[1].Vector;
        points.Add(new Point("7", Near(a, random, 0.02), new JsonObject { ["lang"] = "en" }));
        points.Add(new Point("8", Near(a, random, 0.02), new JsonObject { ["lang"] = "fr" }));
        points.Add(new Point("9", Near(b, random, 0.02), new JsonObject { ["lang"] = "fr" }));
        collection.Upsert(points);

        var report = NearDuplicates.Find(collection, new DuplicateOptions { Threshold = 0.95 });

        Assert.Equal(63, report.Points);
        Assert.Equal([["7", "8", "10"], ["9", "11"]], report.Groups.Select(g => g.Ids.ToArray()));
        Assert.Equal(["7", "9"], report.Groups.Select(g => g.Keep));
        Assert.Equal(4, report.Pairs.Count);
        foreach (var pair in report.Pairs)
        {
            var expected = VectorMath.Cosine(points.Single(p => p.Id == pair.First).Vector, points.Single(p => p.Id == pair.Second).Vector);
            Assert.Equal(expected, pair.Similarity, 4);
            Assert.True(pair.Similarity >= 0.95);
        }

        // Random 32-d vectors are far from each other: no pair below the copies comes in at 0.95.
        var exact = NearDuplicates.Find(collection, new DuplicateOptions { Threshold = 0.95, Exact = true });
        Assert.Equal(report.Pairs, exact.Pairs);

        var english = NearDuplicates.Find(collection, new DuplicateOptions { Filter = PayloadFilter.Equal("lang", JsonValue.Create("en")) });
        Assert.Equal([["7", "10"]], english.Groups.Select(g => g.Ids.ToArray()));
    }

    [Fact]
    public void A_collection_that_does_not_score_by_cosine_and_a_bad_threshold_are_refused()
    {
        using var euclid = _store.Create("e", new CollectionOptions(EmbeddingSpace.Raw(2, DistanceMetric.Euclidean)));
        using var cosine = _store.Create("c", new CollectionOptions(EmbeddingSpace.Raw(2, DistanceMetric.Cosine)));

        var metric = Assert.Throws<QuiverException>(() => NearDuplicates.Find(euclid));
        var threshold = Assert.Throws<QuiverException>(() => NearDuplicates.Find(cosine, new DuplicateOptions { Threshold = 1.5 }));

        Assert.Contains("Near-duplicates need a cosine collection", metric.Message);
        Assert.Contains("such as 0.95", threshold.Message);
    }
}
