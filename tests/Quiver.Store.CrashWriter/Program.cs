using System.Globalization;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;

// The writer side of the crash-safety test: upserts batches of points into a collection and prints "ack N" after
// each batch's Upsert returns (that is, once it is acknowledged). The test kills this process with SIGKILL at a random
// moment and checks that every acknowledged point survived (and that its keyword row did too). Every few batches it also writes an index snapshot, so
// a kill can land in the middle of one.
// Usage: Quiver.Store.CrashWriter <store-folder> <collection> <first-batch> <batches> <batch-size>
//        Quiver.Store.CrashWriter reembed <store-folder> <collection> <batch-size>   (see ReembedWorker)
if (args[0] == "reembed")
{
    await ReembedWorker.RunAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
    return;
}

var store = new CollectionStore(args[0]);
var name = args[1];
var first = int.Parse(args[2], CultureInfo.InvariantCulture);
var batches = int.Parse(args[3], CultureInfo.InvariantCulture);
var size = int.Parse(args[4], CultureInfo.InvariantCulture);
var options = new CollectionOptions(
    EmbeddingSpace.Raw(8, DistanceMetric.Cosine),
    new IndexOptions { ExactThreshold = 200, Hnsw = new HnswParameters(M: 8, EfConstruction: 40, EfSearch: 64) });
using var collection = store.OpenOrCreate(name, options);
for (var batch = first; batch < first + batches; batch++)
{
    collection.Upsert(Enumerable.Range(0, size).Select(i => new Point($"b{batch}-{i}", CrashVectors.For(batch, i), null, $"batch{batch} point{i} text")).ToList());
    Console.Out.WriteLine($"ack {batch}");
    Console.Out.Flush();
    if (batch % 5 == 4)
    {
        collection.Flush();
    }
}

/// <summary>The vector of point i of a batch: a deterministic function of both, so the test can recompute it.</summary>
internal static class CrashVectors
{
    public static float[] For(int batch, int i)
    {
        var random = new Random((batch * 100_003) + i);
        return Enumerable.Range(0, 8).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
