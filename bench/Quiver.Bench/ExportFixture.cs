using System.Globalization;
using System.Text.Json.Nodes;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Index;

namespace Quiver.Bench;

/// <summary>
/// Writes a collection of random unit vectors with small payloads and texts (a flat index: no graph to build), for
/// bench/export.sh to export and measure.
/// Usage: Quiver.Bench export-fixture --collections DIR --name big --points 100000 [--dims 384] [--seed 1] [--flush true]
/// </summary>
internal static class ExportFixture
{
    public static void Run(Args options)
    {
        var points = int.Parse(options.Get("points", "100000"), CultureInfo.InvariantCulture);
        var dims = int.Parse(options.Get("dims", "384"), CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(options.Get("seed", "1"), CultureInfo.InvariantCulture));
        var store = new CollectionStore(options.Get("collections", "bench/.cache/export-collections"));
        using var collection = store.Create(options.Get("name", "big"), new CollectionOptions(EmbeddingSpace.Raw(dims, DistanceMetric.Cosine), new IndexOptions { Kind = IndexKind.Flat }));
        var batch = new List<Point>(5000);
        for (var i = 0; i < points; i++)
        {
            var vector = new float[dims];
            for (var j = 0; j < dims; j++)
            {
                vector[j] = (float)((random.NextDouble() * 2) - 1);
            }

            batch.Add(new Point(i.ToString(CultureInfo.InvariantCulture), vector, new JsonObject { ["n"] = i, ["group"] = $"g{i % 10}" }, $"text of point {i}"));
            if (batch.Count == batch.Capacity || i == points - 1)
            {
                collection.Upsert(batch);
                batch.Clear();
                Console.Error.Write($"\r{i + 1:N0}/{points:N0} points written");
            }
        }

        Console.Error.WriteLine();

        // --flush true: load the index and save its snapshot file, as a collection that has been searched has one.
        if (options.Get("flush", "false") == "true")
        {
            collection.Flush();
        }
    }
}
